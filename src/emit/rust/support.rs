//! The fixed parts of the crate: `error.rs` (the error every call returns)
//! and `runtime.rs` (sending, decoding, guards, path encoding). Only the
//! helpers the API needs are emitted, so the crate has no dead code.

use proc_macro2::TokenStream;
use quote::quote;

/// Which runtime helpers the generated operations call.
#[derive(Debug, Default, Clone, Copy)]
pub struct Needs {
    pub nullable: bool,
    /// Some parameter goes in the path...
    pub path_segments: bool,
    /// ...in a header...
    pub header_params: bool,
    /// ...in a cookie...
    pub cookie_params: bool,
    /// ...is written by its `style` (any of them, as a JSON value)...
    pub styled_values: bool,
    /// ...or is JSON `content`, written as its JSON text.
    pub json_content: bool,
    /// Some parameter is an object, whose fields go out in declaration order.
    pub object_params: bool,
    pub decoded_errors: bool,
    pub confirm: bool,
    pub force: bool,
    pub text: bool,
    /// Some answer is decoded from JSON.
    pub json: bool,
    /// Some body is sent as JSON (reqwest's `json` feature).
    pub json_body: bool,
    /// Something travels in the query (reqwest's `query` feature).
    pub query: bool,
    /// Some body is a form (reqwest's `form` feature).
    pub form: bool,
    /// Some body is multipart (reqwest's `multipart` feature).
    pub multipart: bool,
    /// A form or multipart body sends declared fields as values...
    pub fields_value: bool,
    /// ...binary fields as file parts...
    pub fields_bytes: bool,
    /// ...or the properties of an object (undeclared ones, or all).
    pub fields_object: bool,
}

pub fn error_file() -> TokenStream {
    quote! {
        //! The error every call returns: a guard's refusal, a documented error
        //! answer (typed per operation), an undocumented answer, a body that
        //! did not decode, or a transport failure — each its own variant.

        /// Why a call failed. `E` is the operation's own enum of documented
        /// error answers (`std::convert::Infallible` when it documents none).
        #[derive(Debug)]
        pub enum Error<E> {
            /// A guard refused the call before anything was sent.
            Guard(GuardError),
            /// An argument this client refuses to send; nothing was sent.
            InvalidArgument(InvalidArgument),
            /// The server answered with an error status the spec documents.
            Api(E),
            /// The server answered with a status the spec does not document
            /// for this operation; status and body are kept as received.
            UnexpectedStatus { status: u16, body: Vec<u8> },
            /// A documented answer whose body is not what the spec says.
            InvalidBody {
                status: u16,
                body: Vec<u8>,
                source: serde_json::Error,
            },
            /// The request could not be sent, or the answer could not be read.
            Transport(reqwest::Error),
        }

        /// An argument that cannot be sent as given.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct InvalidArgument {
            /// The parameter's name in the spec.
            pub argument: &'static str,
            pub reason: &'static str,
        }

        impl std::fmt::Display for InvalidArgument {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "`{}` {}", self.argument, self.reason)
            }
        }

        impl std::error::Error for InvalidArgument {}

        impl<E> From<InvalidArgument> for Error<E> {
            fn from(invalid: InvalidArgument) -> Self {
                Error::InvalidArgument(invalid)
            }
        }

        /// A guard's refusal: the request was never sent.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum GuardError {
            /// A body field must repeat a path parameter (a typed confirmation).
            ConfirmMismatch {
                /// The body field.
                field: &'static str,
                /// The path parameter it must equal.
                path_param: &'static str,
                expected: String,
                given: Option<String>,
            },
            /// Keys that look like secrets need the body's force flag.
            ForceRequired {
                /// The body flag that must be `true`.
                field: &'static str,
                /// The body field whose keys were checked.
                keys_of: &'static str,
                /// The keys that matched.
                keys: Vec<String>,
            },
        }

        impl std::fmt::Display for GuardError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    GuardError::ConfirmMismatch { field, path_param, expected, given } => write!(
                        f,
                        "body field `{field}` must equal the path parameter `{path_param}` ({expected:?}), got {given:?}"
                    ),
                    GuardError::ForceRequired { field, keys_of, keys } => write!(
                        f,
                        "keys of `{keys_of}` look like secrets ({}); set `{field}: true` to send them",
                        keys.join(", ")
                    ),
                }
            }
        }

        impl std::error::Error for GuardError {}

        impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Error::Guard(guard) => write!(f, "refused before sending: {guard}"),
                    Error::InvalidArgument(invalid) => write!(f, "refused before sending: {invalid}"),
                    Error::Api(error) => write!(f, "the API answered with a documented error: {error:?}"),
                    Error::UnexpectedStatus { status, body } => write!(
                        f,
                        "the API answered {status}, which the spec does not document here: {}",
                        String::from_utf8_lossy(body)
                    ),
                    Error::InvalidBody { status, source, .. } => {
                        write!(f, "the API's {status} answer did not decode: {source}")
                    }
                    Error::Transport(error) => write!(f, "request failed: {error}"),
                }
            }
        }

        impl<E: std::fmt::Debug> std::error::Error for Error<E> {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Guard(guard) => Some(guard),
                    Error::InvalidArgument(invalid) => Some(invalid),
                    Error::InvalidBody { source, .. } => Some(source),
                    Error::Transport(error) => Some(error),
                    Error::Api(_) | Error::UnexpectedStatus { .. } => None,
                }
            }
        }

        impl<E> From<GuardError> for Error<E> {
            fn from(guard: GuardError) -> Self {
                Error::Guard(guard)
            }
        }

        impl<E> From<reqwest::Error> for Error<E> {
            fn from(error: reqwest::Error) -> Self {
                Error::Transport(error)
            }
        }
    }
}

pub fn runtime_file(needs: Needs, secret_headers: bool) -> TokenStream {
    let secret_header = secret_headers.then(|| {
        quote! {
            /// A header holding a secret: marked sensitive so it is never logged.
            pub(crate) fn secret_header(
                request: reqwest::RequestBuilder,
                name: &'static str,
                value: String,
            ) -> reqwest::RequestBuilder {
                match reqwest::header::HeaderValue::from_str(&value) {
                    Ok(mut header) => {
                        header.set_sensitive(true);
                        request.header(name, header)
                    }
                    // reqwest reports the invalid value when the request is sent.
                    Err(_) => request.header(name, value),
                }
            }
        }
    });
    let nullable = needs.nullable.then(|| {
        quote! {
            /// Reads a field that may be absent or `null` into `Option<Option<T>>`:
            /// absent is `None` (via `#[serde(default)]`), `null` is `Some(None)`.
            pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: serde::Deserialize<'de>,
            {
                <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
            }
        }
    });
    let path_segment = needs.path_segments.then(|| {
        quote! {
            /// A path parameter's text (`crate::style::path`); a value the
            /// path cannot hold (undefined, or a segment that is empty, `.`
            /// or `..`, which URL normalisation would change) is refused.
            pub(crate) fn path(
                argument: &'static str,
                style: crate::style::Style,
                explode: bool,
                value: &serde_json::Value,
            ) -> Result<String, InvalidArgument> {
                crate::style::path(argument, style, explode, value)
                    .map_err(|reason| InvalidArgument { argument, reason })
            }
        }
    });
    let styled_value = needs.styled_values.then(|| {
        quote! {
            /// A parameter as the serializer takes it; `None` is `null`,
            /// which sends nothing.
            pub(crate) fn value<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Value {
                serde_json::to_value(value).unwrap_or_default()
            }
        }
    });
    let json_text = needs.json_content.then(|| {
        quote! {
            /// A parameter given as JSON `content`: its JSON text, as a string
            /// the serializer writes as it is; `None` sends nothing.
            pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Value {
                match serde_json::to_value(value) {
                    Ok(serde_json::Value::Null) | Err(_) => serde_json::Value::Null,
                    Ok(value) => serde_json::Value::String(value.to_string()),
                }
            }
        }
    });
    let header = needs.header_params.then(|| {
        quote! {
            /// Adds a header parameter, unless its value is undefined.
            pub(crate) fn header(
                request: reqwest::RequestBuilder,
                name: &'static str,
                value: Option<String>,
            ) -> reqwest::RequestBuilder {
                match value {
                    Some(value) => request.header(name, value),
                    None => request,
                }
            }
        }
    });
    let cookie = needs.cookie_params.then(|| {
        quote! {
            /// Adds a cookie parameter's `name=value`, unless its value is undefined.
            pub(crate) fn cookie(
                request: reqwest::RequestBuilder,
                pair: Option<String>,
            ) -> reqwest::RequestBuilder {
                match pair {
                    Some(pair) => request.header("cookie", pair),
                    None => request,
                }
            }
        }
    });
    let decoded_error = needs.decoded_errors.then(|| {
        quote! {
            /// A documented error answer, its body decoded into `variant`.
            pub(crate) fn error<T, S, E>(&self, variant: impl FnOnce(T) -> E) -> Result<S, Error<E>>
            where
                T: serde::de::DeserializeOwned,
            {
                Err(Error::Api(variant(self.json()?)))
            }
        }
    });
    let json = needs.json.then(|| {
        quote! {
            /// The body decoded as the type the spec documents for this status.
            pub(crate) fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
                serde_json::from_slice(&self.body).map_err(|source| Error::InvalidBody {
                    status: self.status,
                    body: self.body.clone(),
                    source,
                })
            }
        }
    });
    let text = needs.text.then(|| {
        quote! {
            /// The body as text (invalid UTF-8 replaced).
            pub(crate) fn text(&self) -> String {
                String::from_utf8_lossy(&self.body).into_owned()
            }
        }
    });
    let confirm = needs.confirm.then(|| {
        quote! {
            /// The confirm guard: `given` must equal the path parameter's value.
            pub(crate) fn confirm(
                field: &'static str,
                given: Option<String>,
                path_param: &'static str,
                expected: String,
            ) -> Result<(), GuardError> {
                if given.as_deref() == Some(expected.as_str()) {
                    Ok(())
                } else {
                    Err(GuardError::ConfirmMismatch { field, path_param, expected, given })
                }
            }
        }
    });
    let force = needs.force.then(|| {
        quote! {
            /// The force guard: keys matching `pattern` need `forced`. A
            /// pattern that does not compile counts every key as matching.
            pub(crate) fn force<'k>(
                field: &'static str,
                forced: bool,
                keys_of: &'static str,
                keys: impl Iterator<Item = &'k String>,
                pattern: &str,
            ) -> Result<(), GuardError> {
                if forced {
                    return Ok(());
                }
                let matching: Vec<String> = match regex_lite::Regex::new(pattern) {
                    Ok(regex) => keys.filter(|key| regex.is_match(key)).cloned().collect(),
                    Err(_) => keys.cloned().collect(),
                };
                if matching.is_empty() {
                    Ok(())
                } else {
                    Err(GuardError::ForceRequired { field, keys_of, keys: matching })
                }
            }
        }
    });
    let guard_import = (needs.confirm || needs.force).then(|| quote! { use crate::GuardError; });
    let fields = fields(needs);
    let invalid_import =
        (needs.path_segments || fields.is_some()).then(|| quote! { use crate::InvalidArgument; });
    quote! {
        //! What every operation shares: sending, reading the answer, guards.

        use crate::Error;
        #guard_import
        #invalid_import

        /// An answer read whole.
        pub(crate) struct Answer {
            pub(crate) status: u16,
            pub(crate) body: Vec<u8>,
        }

        /// The HTTP client a service client starts with. With the `rustls`
        /// feature (the default), reqwest carries no crypto provider, so that
        /// no C crypto library is built: ring is installed for the process,
        /// unless the application installed a provider of its own first.
        pub(crate) fn http_client() -> reqwest::Client {
            #[cfg(feature = "rustls")]
            if rustls::crypto::CryptoProvider::get_default().is_none() {
                // Fails only when another thread installed one meanwhile.
                let _ = rustls::crypto::ring::default_provider().install_default();
            }
            reqwest::Client::new()
        }

        /// Sends and reads the whole answer. Errors drop the URL, which may
        /// carry a credential in its query.
        pub(crate) async fn send(request: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
            let response = request.send().await.map_err(reqwest::Error::without_url)?;
            let status = response.status().as_u16();
            let body = response.bytes().await.map_err(reqwest::Error::without_url)?.to_vec();
            Ok(Answer { status, body })
        }

        impl Answer {
            #json

            #decoded_error

            #text

            /// A status the spec does not document for this operation.
            pub(crate) fn unexpected<S, E>(self) -> Result<S, Error<E>> {
                Err(Error::UnexpectedStatus { status: self.status, body: self.body })
            }
        }

        #secret_header
        #nullable
        #path_segment
        #styled_value
        #json_text
        #header
        #cookie
        #confirm
        #force
        #fields
    }
}

/// `Fields`: a form or multipart body, field by field in declaration
/// order. Values are encoded as `tiergen mcp serve` encodes them: a string,
/// number or boolean as its text, a list as one entry per item, anything
/// else as JSON text (a JSON part in multipart), `null` and absent left out.
impl Needs {
    /// Some parameter is written by `crate::style`, so the crate carries it.
    pub fn style(&self) -> bool {
        self.styled_values || self.json_content
    }
}

fn fields(needs: Needs) -> Option<TokenStream> {
    if !(needs.form || needs.multipart) {
        return None;
    }
    let value = needs.fields_value.then(|| {
        quote! {
            /// A declared field.
            pub(crate) fn value<T: serde::Serialize + ?Sized>(
                mut self,
                name: &str,
                value: &T,
            ) -> Result<Self, InvalidArgument> {
                let value = serde_json::to_value(value).map_err(|_| InvalidArgument {
                    argument: "body",
                    reason: "has a field that cannot be encoded",
                })?;
                self.push(name, value);
                Ok(self)
            }
        }
    });
    let object = needs.fields_object.then(|| {
        quote! {
            /// Every property of an object: undeclared fields, or a body
            /// whose fields the spec does not list.
            pub(crate) fn object<T: serde::Serialize + ?Sized>(
                mut self,
                value: &T,
            ) -> Result<Self, InvalidArgument> {
                match serde_json::to_value(value) {
                    Ok(serde_json::Value::Object(properties)) => {
                        for (name, value) in properties {
                            self.push(&name, value);
                        }
                        Ok(self)
                    }
                    Ok(serde_json::Value::Null) => Ok(self),
                    _ => Err(InvalidArgument {
                        argument: "body",
                        reason: "must be an object of fields",
                    }),
                }
            }
        }
    });
    let bytes = needs.fields_bytes.then(|| {
        quote! {
            /// A binary field: a file part named after the field.
            pub(crate) fn bytes(mut self, name: &str, value: Option<&[u8]>) -> Self {
                if let Some(value) = value {
                    self.0.push(FieldPart {
                        name: name.to_owned(),
                        value: value.to_vec(),
                        content_type: Some("application/octet-stream"),
                    });
                }
                self
            }
        }
    });
    // Only a multipart part carries its own content type.
    let push_one = if needs.multipart {
        quote! {
            let (value, content_type) = match value {
                serde_json::Value::Null => return,
                serde_json::Value::String(text) => (text.into_bytes(), None),
                serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                    (value.to_string().into_bytes(), None)
                }
                other => (other.to_string().into_bytes(), Some("application/json")),
            };
            self.0.push(FieldPart { name: name.to_owned(), value, content_type });
        }
    } else {
        quote! {
            let value = match value {
                serde_json::Value::Null => return,
                serde_json::Value::String(text) => text.into_bytes(),
                other => other.to_string().into_bytes(),
            };
            self.0.push(FieldPart { name: name.to_owned(), value });
        }
    };
    let content_type = needs.multipart.then(|| {
        quote! {
            /// `None` for text.
            content_type: Option<&'static str>,
        }
    });
    let push = (needs.fields_value || needs.fields_object).then(|| {
        quote! {
            fn push(&mut self, name: &str, value: serde_json::Value) {
                match value {
                    serde_json::Value::Array(items) => {
                        for item in items {
                            self.push_one(name, item);
                        }
                    }
                    other => self.push_one(name, other),
                }
            }

            fn push_one(&mut self, name: &str, value: serde_json::Value) {
                #push_one
            }
        }
    });
    let pairs = needs.form.then(|| {
        quote! {
            /// `name=value` pairs for `application/x-www-form-urlencoded`.
            pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
                self.0
                    .into_iter()
                    .map(|part| (part.name, String::from_utf8_lossy(&part.value).into_owned()))
                    .collect()
            }
        }
    });
    let multipart = needs.multipart.then(|| {
        let file_name = needs.fields_bytes.then(|| {
            quote! {
                let piece = if content_type == "application/octet-stream" {
                    piece.file_name(part.name.clone())
                } else {
                    piece
                };
            }
        });
        quote! {
            /// A `multipart/form-data` form: one part per entry, binary
            /// fields as files.
            pub(crate) fn into_multipart(self) -> Result<reqwest::multipart::Form, reqwest::Error> {
                let mut form = reqwest::multipart::Form::new();
                for part in self.0 {
                    let piece = reqwest::multipart::Part::bytes(part.value);
                    let piece = match part.content_type {
                        Some(content_type) => {
                            #file_name
                            piece.mime_str(content_type)?
                        }
                        None => piece,
                    };
                    form = form.part(part.name, piece);
                }
                Ok(form)
            }
        }
    });
    Some(quote! {
        /// A form or multipart body, entry by entry.
        #[derive(Default)]
        pub(crate) struct Fields(Vec<FieldPart>);

        struct FieldPart {
            name: String,
            value: Vec<u8>,
            #content_type
        }

        impl Fields {
            #value
            #object
            #bytes
            #push
            #pairs
            #multipart
        }
    })
}
