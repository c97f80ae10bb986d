//! Answers: how each documented status is read into the method's return
//! value or its error enum.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::guards::Call;
use super::ident;
use super::types::TypeTable;
use crate::ir::{Response, Status};

/// How one documented status is read.
pub(super) struct Outcome {
    pub(super) status: Status,
    pub(super) variant: String,
    pub(super) payload: Payload,
    pub(super) doc: String,
}

#[derive(Clone)]
pub(super) enum Payload {
    Nothing,
    Json(TokenStream),
    Text,
    Bytes,
}

impl Payload {
    pub(super) fn ty(&self) -> TokenStream {
        match self {
            Payload::Nothing => quote! { () },
            Payload::Json(ty) => ty.clone(),
            Payload::Text => quote! { String },
            Payload::Bytes => quote! { Vec<u8> },
        }
    }
}

/// The success answers one call can get: a dry run gets only its echo, the
/// plain call everything else.
pub(super) fn success_for<'s>(call: &Call<'_>, success: &'s [Outcome]) -> Vec<&'s Outcome> {
    let chosen: Vec<&Outcome> = success
        .iter()
        .filter(|s| match call {
            Call::Plain { excluded } => excluded.is_none_or(|e| s.status != Status::Code(e)),
            Call::DryRun { status, .. } => s.status == Status::Code(*status),
            Call::Flag { .. } => true,
        })
        .collect();
    if chosen.is_empty() {
        success.iter().collect()
    } else {
        chosen
    }
}

pub(super) fn distinct_payloads(outcomes: &[&Outcome]) -> usize {
    let mut types: Vec<String> = outcomes
        .iter()
        .map(|o| o.payload.ty().to_string())
        .collect();
    types.sort();
    types.dedup();
    types.len()
}

pub(super) fn payload(
    response: &Response,
    table: &mut TypeTable<'_>,
    hint: &str,
    place: &str,
) -> Payload {
    match (&response.media_type, &response.ty) {
        (None, _) => Payload::Nothing,
        (Some(media), ty) if is_json(media) => Payload::Json(match ty {
            Some(ty) => table.type_of(ty, hint, place),
            None => quote! { serde_json::Value },
        }),
        (Some(media), _) if media.starts_with("text/") => Payload::Text,
        (Some(_), _) => Payload::Bytes,
    }
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Match arms go codes first, then ranges, then `default`.
pub(super) fn arm_rank(status: Status) -> (u8, u16) {
    match status {
        Status::Code(code) => (0, code),
        Status::Range(class) => (1, class),
        Status::Default => (2, 0),
    }
}

pub(super) fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote! { #code }
        }
        Status::Range(class) => {
            let low = Literal::u16_unsuffixed(class * 100);
            let high = Literal::u16_unsuffixed(class * 100 + 99);
            quote! { #low..=#high }
        }
        Status::Default => quote! { _ },
    }
}

pub(super) fn success_arm(outcome: &Outcome, wrap: Option<&TokenStream>) -> TokenStream {
    let pattern = status_pattern(outcome.status);
    let value = success_value(outcome, wrap);
    quote! { #pattern => #value, }
}

/// What the method returns for a success answer.
pub(super) fn success_value(outcome: &Outcome, wrap: Option<&TokenStream>) -> TokenStream {
    let value = match &outcome.payload {
        Payload::Nothing => quote! { () },
        Payload::Json(_) => quote! { answer.json() },
        Payload::Text => quote! { answer.text() },
        Payload::Bytes => quote! { answer.body },
    };
    let decoded = matches!(outcome.payload, Payload::Json(_));
    match (wrap, decoded) {
        (None, true) => value,
        (None, false) => quote! { Ok(#value) },
        (Some(response), true) => {
            let variant = ident(&outcome.variant);
            quote! { #value.map(#response::#variant) }
        }
        (Some(response), false) => {
            let variant = ident(&outcome.variant);
            quote! { Ok(#response::#variant(#value)) }
        }
    }
}

pub(super) fn failure_arm(outcome: &Outcome, error: &TokenStream) -> TokenStream {
    let pattern = status_pattern(outcome.status);
    let value = failure_value(outcome, error);
    quote! { #pattern => #value, }
}

/// What the method returns for a documented error answer.
pub(super) fn failure_value(outcome: &Outcome, error: &TokenStream) -> TokenStream {
    let variant = ident(&outcome.variant);
    let exact = matches!(outcome.status, Status::Code(_));
    match (&outcome.payload, exact) {
        (Payload::Nothing, true) => quote! { Err(Error::Api(#error::#variant)) },
        (Payload::Json(_), true) => quote! { answer.error(#error::#variant) },
        (Payload::Text, true) => quote! { Err(Error::Api(#error::#variant(answer.text()))) },
        (Payload::Bytes, true) => quote! { Err(Error::Api(#error::#variant(answer.body))) },
        (Payload::Nothing, false) => quote! {
            Err(Error::Api(#error::#variant { status: answer.status, body: () }))
        },
        (Payload::Json(_), false) => quote! {
            answer.error(|body| #error::#variant { status: answer.status, body })
        },
        (Payload::Text, false) => quote! {
            Err(Error::Api(#error::#variant { status: answer.status, body: answer.text() }))
        },
        (Payload::Bytes, false) => quote! {
            Err(Error::Api(#error::#variant { status: answer.status, body: answer.body }))
        },
    }
}

/// The reason phrase of a status, as a variant name.
pub(super) fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        425 => "TooEarly",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
        _ => return None,
    })
}
