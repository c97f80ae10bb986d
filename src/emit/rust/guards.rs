//! The confirm and force guards, checked before a request is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::params::{BodyPlan, ParamPlan};
use super::types::{Presence, TypeTable};
use crate::ir::{Guard, Operation, ParamLocation};

/// The confirm and force checks. A guard this client cannot enforce (its
/// field is not a plain field of the body struct) fails the emit: a
/// guard the docs promise must never silently vanish.
pub(super) fn checks(
    op: &Operation,
    params: &[ParamPlan],
    body: Option<&BodyPlan>,
    table: &TypeTable<'_>,
) -> Result<TokenStream, String> {
    let unenforceable =
        |what: &str| format!("operation {}: cannot enforce its guard: {what}", op.id);
    let field = |wire: &str| -> Result<(String, Presence), String> {
        body.and_then(|b| b.struct_name.as_deref())
            .and_then(|name| table.field(name, wire))
            .map(|(field, presence)| (field.to_string(), presence))
            .ok_or_else(|| unenforceable(&format!("`{wire}` is not a field of its body")))
    };
    let mut checks = Vec::new();
    for guard in &op.guards {
        match guard {
            Guard::Confirm {
                field: confirm,
                equals_path_param,
            } => {
                let body = body.ok_or_else(|| unenforceable("it has no body"))?;
                let param = params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire == equals_path_param)
                    .ok_or_else(|| {
                        unenforceable(&format!("no path parameter `{equals_path_param}`"))
                    })?;
                let given = confirm_value(body, field(confirm)?);
                let p_ident = ident(&param.ident);
                checks.push(quote! {
                    crate::runtime::confirm(#confirm, #given, #equals_path_param, #p_ident.to_string())?;
                });
            }
            Guard::Force {
                field: flag,
                keys_of,
                pattern,
            } => {
                let body = body.ok_or_else(|| unenforceable("it has no body"))?;
                let forced = flag_value(body, field(flag)?);
                let keys = keys_value(body, field(keys_of)?);
                checks.push(quote! {
                    crate::runtime::force(#flag, #forced, #keys_of, #keys, #pattern)?;
                });
            }
            Guard::DryRun { .. } | Guard::Precondition { .. } | Guard::DestructiveFlag { .. } => {}
        }
    }
    Ok(quote! { #(#checks)* })
}

/// `Some(text)` of the body field a confirm guard reads.
pub(super) fn confirm_value(body: &BodyPlan, (field, presence): (String, Presence)) -> TokenStream {
    let field = ident(&field);
    let read = |body: &TokenStream| match presence {
        Presence::Required => quote! { Some(#body.#field.to_string()) },
        Presence::Optional | Presence::RequiredNullable => {
            quote! { #body.#field.as_ref().map(|v| v.to_string()) }
        }
        Presence::OptionalNullable => {
            quote! { #body.#field.as_ref().and_then(|v| v.as_ref()).map(|v| v.to_string()) }
        }
    };
    from_body(body, read, quote! { and_then })
}

/// Whether the body's force flag is `true`.
pub(super) fn flag_value(body: &BodyPlan, (field, presence): (String, Presence)) -> TokenStream {
    let field = ident(&field);
    let read = |body: &TokenStream| match presence {
        Presence::Required => quote! { #body.#field },
        Presence::Optional | Presence::RequiredNullable => quote! { #body.#field == Some(true) },
        Presence::OptionalNullable => quote! { #body.#field == Some(Some(true)) },
    };
    from_body(body, read, quote! { is_some_and })
}

/// The keys of the body map a force guard checks.
pub(super) fn keys_value(body: &BodyPlan, (field, presence): (String, Presence)) -> TokenStream {
    let field = ident(&field);
    let read = |body: &TokenStream| match presence {
        Presence::Required => quote! { #body.#field.keys() },
        Presence::Optional | Presence::RequiredNullable => {
            quote! { #body.#field.iter().flat_map(|map| map.keys()) }
        }
        Presence::OptionalNullable => {
            quote! { #body.#field.iter().flatten().flat_map(|map| map.keys()) }
        }
    };
    from_body(body, read, quote! { into_iter().flat_map })
}

/// `read` applied to the body argument, through `combinator` when it is optional.
pub(super) fn from_body(
    body: &BodyPlan,
    read: impl Fn(&TokenStream) -> TokenStream,
    combinator: TokenStream,
) -> TokenStream {
    let b_ident = ident(&body.ident);
    if body.required {
        read(&quote! { #b_ident })
    } else {
        let read = read(&quote! { body });
        quote! { #b_ident.#combinator(|body| #read) }
    }
}

/// One Rust method of an operation.
pub(super) enum Call<'g> {
    Plain {
        excluded: Option<u16>,
    },
    DryRun {
        param: &'g str,
        status: u16,
    },
    Flag {
        param: &'g str,
        value: &'g str,
        effect: &'g str,
    },
}

impl Call<'_> {
    /// The query parameter this call sets itself, which callers cannot pass.
    pub(super) fn consumes(&self) -> Option<&str> {
        match self {
            Call::Plain { .. } => None,
            Call::DryRun { param, .. } | Call::Flag { param, .. } => Some(param),
        }
    }
}
