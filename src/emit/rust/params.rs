//! Parameters and bodies: how each is passed to a method and put on the
//! request.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{Presence, StructFields};
use crate::ir::{BodyEncoding, ParamLocation, Serialization};
use crate::naming;
pub(super) use crate::naming::plan::{ParamKind, param_kind};

pub(super) struct ParamPlan {
    pub(super) ident: String,
    pub(super) wire: String,
    pub(super) location: ParamLocation,
    pub(super) required: bool,
    pub(super) kind: ParamKind,
    /// The value type (the item type, for a list).
    pub(super) ty: TokenStream,
    pub(super) serialization: Serialization,
    pub(super) json_content: bool,
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

/// The parameter's value as the serializer takes it (`crate::style`): a
/// `serde_json::Value`, or the JSON text of a parameter given as JSON
/// `content`. An absent optional parameter is `null`, which sends nothing.
fn styled_value(p: &ParamPlan) -> TokenStream {
    let p_ident = ident(&p.ident);
    if p.json_content {
        quote! { &crate::runtime::json_text(&#p_ident) }
    } else {
        quote! { &crate::runtime::value(&#p_ident) }
    }
}

/// `crate::style::Style::…`, `explode` and `allowReserved` of a parameter.
fn style_args(p: &ParamPlan) -> (TokenStream, bool, bool) {
    let variant = ident(&naming::upper_camel(p.serialization.style.as_str()));
    (
        quote! { crate::style::Style::#variant },
        p.serialization.explode,
        p.serialization.allow_reserved,
    )
}

/// Adds one query parameter's fields to `query`.
pub(super) fn push_query(p: &ParamPlan) -> TokenStream {
    let wire = &p.wire;
    let (style, explode, reserved) = style_args(p);
    let value = styled_value(p);
    quote! { query.push(#wire, #style, #explode, #reserved, #value); }
}

/// Puts one header or cookie parameter on the request.
pub(super) fn send_param(p: &ParamPlan) -> TokenStream {
    let wire = &p.wire;
    let (_, explode, _) = style_args(p);
    let value = styled_value(p);
    match p.location {
        ParamLocation::Cookie => quote! {
            let request = crate::runtime::cookie(request, crate::style::cookie(#wire, #explode, #value));
        },
        _ => quote! {
            let request = crate::runtime::header(request, #wire, crate::style::header(#explode, #value));
        },
    }
}

/// A path parameter's text, for the URL (refused when the path cannot hold it).
pub(super) fn path_text(p: &ParamPlan) -> TokenStream {
    let wire = &p.wire;
    let (style, explode, _) = style_args(p);
    let value = styled_value(p);
    quote! { &crate::runtime::path(#wire, #style, #explode, #value)? }
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
