//! Parameters and bodies: how each is passed to a method and put on the
//! request.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{Presence, StructFields};
use crate::ir::{BodyEncoding, ParamLocation};
pub(super) use crate::naming::plan::{ParamKind, param_kind};

pub(super) struct ParamPlan {
    pub(super) ident: String,
    pub(super) wire: String,
    pub(super) location: ParamLocation,
    pub(super) required: bool,
    pub(super) kind: ParamKind,
    /// The value type (the item type, for a list).
    pub(super) ty: TokenStream,
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
