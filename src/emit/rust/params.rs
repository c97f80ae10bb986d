//! Parameters and bodies: how each is passed to a method and put on the
//! request.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{Presence, StructFields};
use crate::ir::{Api, BodyEncoding, ParamLocation, Scalar, Shape, Type};

pub(super) struct ParamPlan {
    pub(super) ident: String,
    pub(super) wire: String,
    pub(super) location: ParamLocation,
    pub(super) required: bool,
    pub(super) kind: ParamKind,
    /// The value type (the item type, for a list).
    pub(super) ty: TokenStream,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamKind {
    /// Passed as `&str`.
    Str,
    /// Passed by value (numbers, booleans, UUIDs, dates).
    Copy,
    /// A `chrono::DateTime`, sent as RFC 3339.
    DateTime,
    /// Passed by reference; sent with `Display` (string enums).
    Ref,
    /// Passed by reference; sent as JSON text.
    Json,
    /// A list of scalars: one query pair per item.
    List,
}

pub(super) struct BodyPlan {
    pub(super) ident: String,
    pub(super) required: bool,
    pub(super) ty: TokenStream,
    /// The struct the body decodes into, for guards that read its fields.
    pub(super) struct_name: Option<String>,
    pub(super) encoding: BodyEncoding,
    /// The `Content-Type` sent (a form or multipart body gets reqwest's own).
    pub(super) content_type: String,
    /// The body struct's fields, for a form or multipart body: sent one by
    /// one in declaration order; without them, the body's properties are.
    pub(super) fields: Option<StructFields>,
}

pub(super) fn param_kind(api: &Api, ty: &Type) -> ParamKind {
    kind_through(api, ty, &mut Vec::new())
}

/// [`param_kind`], following references; `seen` holds the components on the
/// way, so one that contains itself (`X: {type: array, items: {$ref: X}}`,
/// found by the fuzzer: it overflowed the stack) is sent as JSON.
fn kind_through<'a>(api: &'a Api, ty: &'a Type, seen: &mut Vec<&'a str>) -> ParamKind {
    match &ty.shape {
        Shape::Scalar {
            scalar: Scalar::String,
            format,
            ..
        } if !matches!(format.as_deref(), Some("uuid" | "date" | "date-time")) => ParamKind::Str,
        Shape::Scalar { format, .. } if format.as_deref() == Some("date-time") => {
            ParamKind::DateTime
        }
        Shape::Scalar { .. } => ParamKind::Copy,
        Shape::Enum { scalar, values } => {
            if *scalar == Scalar::String && values.iter().any(|v| v.is_string()) {
                ParamKind::Ref
            } else if *scalar == Scalar::String {
                ParamKind::Str
            } else {
                ParamKind::Copy
            }
        }
        Shape::Ref { name } if seen.contains(&name.as_str()) => ParamKind::Json,
        Shape::Ref { name } => match api.named_type(name) {
            Some(named) if !matches!(named.ty.shape, Shape::Ref { .. }) => {
                seen.push(name);
                let kind = kind_through(api, &named.ty, seen);
                seen.pop();
                match kind {
                    ParamKind::Str | ParamKind::Copy | ParamKind::Ref => ParamKind::Ref,
                    _ => ParamKind::Json,
                }
            }
            _ => ParamKind::Json,
        },
        Shape::Array { items } => match kind_through(api, items, seen) {
            ParamKind::Str | ParamKind::Copy | ParamKind::Ref | ParamKind::DateTime => {
                ParamKind::List
            }
            _ => ParamKind::Json,
        },
        _ => ParamKind::Json,
    }
}

pub(super) fn param_type(p: &ParamPlan) -> TokenStream {
    let ty = &p.ty;
    let by = match p.kind {
        ParamKind::Str => quote! { &str },
        ParamKind::Copy | ParamKind::DateTime => quote! { #ty },
        ParamKind::Ref | ParamKind::Json => quote! { &#ty },
        ParamKind::List => quote! { &[#ty] },
    };
    if p.required {
        by
    } else {
        quote! { Option<#by> }
    }
}

/// Puts one query, header or cookie parameter on the request.
pub(super) fn send_param(p: &ParamPlan) -> TokenStream {
    let put_value = |value: TokenStream| put_param(p, &value);
    let put = put_value(quote! { value });
    let p_ident = ident(&p.ident);
    if p.required {
        let put = put_value(quote! { #p_ident });
        quote! { let request = #put; }
    } else {
        quote! {
            let request = match #p_ident {
                Some(value) => #put,
                None => request,
            };
        }
    }
}

pub(super) fn put_param(p: &ParamPlan, value: &TokenStream) -> TokenStream {
    let wire = &p.wire;
    let text = param_text(p.kind, value);
    match (p.location, p.kind) {
        (ParamLocation::Query, ParamKind::List) => {
            let item = param_text(ParamKind::Copy, &quote! { item });
            quote! {
                #value.iter().fold(request, |request, item| request.query(&[(#wire, #item)]))
            }
        }
        (ParamLocation::Query, _) => quote! { request.query(&[(#wire, #text)]) },
        (ParamLocation::Cookie, kind) => {
            let shown = match kind {
                ParamKind::Str | ParamKind::Copy | ParamKind::Ref => quote! { #value },
                _ => text,
            };
            quote! { request.header("cookie", format!("{}={}", #wire, #shown)) }
        }
        _ => quote! { request.header(#wire, #text) },
    }
}

/// A parameter's value as the text that goes on the wire.
pub(super) fn param_text(kind: ParamKind, value: &TokenStream) -> TokenStream {
    match kind {
        ParamKind::Json => quote! { serde_json::to_string(#value).unwrap_or_default() },
        ParamKind::List => quote! {
            #value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
        },
        ParamKind::DateTime => quote! {
            #value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        },
        ParamKind::Str | ParamKind::Copy | ParamKind::Ref => quote! { #value.to_string() },
    }
}

pub(super) fn send_body(body: &BodyPlan) -> TokenStream {
    let media = &body.content_type;
    let put = |value: &TokenStream| match body.encoding {
        BodyEncoding::Json if media == "application/json" => quote! { request.json(#value) },
        BodyEncoding::Json => quote! { request.json(#value).header("content-type", #media) },
        BodyEncoding::Form => {
            let fields = fields(body, value);
            quote! { request.form(&#fields.into_pairs()) }
        }
        BodyEncoding::Multipart => {
            let fields = fields(body, value);
            quote! { request.multipart(#fields.into_multipart()?) }
        }
        BodyEncoding::Binary | BodyEncoding::Text | BodyEncoding::Unsupported => {
            quote! { request.header("content-type", #media).body(#value.to_owned()) }
        }
    };
    let b_ident = ident(&body.ident);
    if body.required {
        let put = put(&quote! { #b_ident });
        quote! { let request = #put; }
    } else {
        let put = put(&quote! { body });
        quote! {
            let request = match #b_ident {
                Some(body) => #put,
                None => request,
            };
        }
    }
}

/// The runtime's `Fields` of a form or multipart body: each declared field
/// in order (bytes as file parts), then any undeclared ones.
fn fields(body: &BodyPlan, value: &TokenStream) -> TokenStream {
    let Some(fields) = &body.fields else {
        return quote! { crate::runtime::Fields::default().object(#value)? };
    };
    let each = fields.fields.iter().map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        if f.bytes {
            let bytes = match f.presence {
                Presence::Required => quote! { Some(#value.#field.as_slice()) },
                Presence::Optional | Presence::RequiredNullable => {
                    quote! { #value.#field.as_deref() }
                }
                Presence::OptionalNullable => {
                    quote! { #value.#field.as_ref().and_then(|bytes| bytes.as_deref()) }
                }
            };
            quote! { .bytes(#wire, #bytes) }
        } else {
            quote! { .value(#wire, &#value.#field)? }
        }
    });
    let additional = fields.additional.as_ref().map(|field| {
        let field = ident(field);
        quote! { .object(&#value.#field)? }
    });
    quote! { crate::runtime::Fields::default() #(#each)* #additional }
}
