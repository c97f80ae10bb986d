//! `credentials.rs`: one type per credential and per routing header, and the
//! sealed `Credentials` trait that puts a credential set on a request. An
//! alternative of several credentials is a tuple of their types.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::ir::{Api, Credential, Grant, Issuer, Placement, RoutingHeader};
use crate::naming::plan::CredentialNames;

/// `anonymous`: some operation accepts an empty alternative, which `()` stands for.
pub fn file(
    api: &Api,
    names: &CredentialNames,
    largest_alternative: usize,
    anonymous: bool,
) -> TokenStream {
    let credentials = api
        .credentials
        .iter()
        .map(|c| credential(api, c, &names.credential(&c.id)));
    let routing = api
        .routing_headers
        .iter()
        .map(|r| routing_header(r, &names.routing(&r.id)));
    let tuples = (2..=largest_alternative).map(tuple_impl);
    let nothing = anonymous.then(|| {
        quote! {
            /// No credential at all, for an alternative that needs none.
            impl sealed::Sealed for () {}

            impl Credentials for () {
                fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
                    request
                }
            }
        }
    });
    quote! {
        //! Credentials and routing headers. Each is its own type, so an
        //! operation's signature says exactly which ones it accepts; an
        //! alternative that needs several is a tuple of them, in the order the
        //! operation's documentation lists. `Debug` never shows a secret.

        /// A credential set that can be put on a request: a credential, a
        /// routing header, or a tuple of them. Sealed: only this crate's types
        /// implement it.
        pub trait Credentials: sealed::Sealed {
            #[doc(hidden)]
            fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder;
        }

        mod sealed {
            pub trait Sealed {}
        }

        #(#credentials)*
        #(#routing)*
        #(#tuples)*
        #nothing
    }
}

fn credential(api: &Api, credential: &Credential, name: &str) -> TokenStream {
    let name_ident = ident(name);
    let docs = doc::attrs(&credential_doc(api, credential));
    let redacted = format!("{name}(<redacted>)");
    let one_secret = quote! {
        pub struct #name_ident(String);

        impl #name_ident {
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }
        }
    };
    // Names from the spec reach the code only as string literals.
    let (definition, apply) = match &credential.placement {
        Placement::Basic => (
            quote! {
                pub struct #name_ident {
                    username: String,
                    password: String,
                }

                impl #name_ident {
                    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
                        Self { username: username.into(), password: password.into() }
                    }
                }
            },
            quote! { request.basic_auth(&self.username, Some(&self.password)) },
        ),
        Placement::Bearer => (
            one_secret,
            quote! {
                crate::runtime::secret_header(request, "authorization", format!("Bearer {}", self.0))
            },
        ),
        Placement::Header { name } => (
            one_secret,
            quote! { crate::runtime::secret_header(request, #name, self.0.clone()) },
        ),
        Placement::Cookie { name } => (
            one_secret,
            quote! {
                crate::runtime::secret_header(request, "cookie", format!("{}={}", #name, self.0))
            },
        ),
        Placement::Query { name } => (
            one_secret,
            quote! { request.query(&[(#name, self.0.as_str())]) },
        ),
        Placement::Authorization { scheme } => (
            one_secret,
            quote! {
                crate::runtime::secret_header(request, "authorization", format!("{} {}", #scheme, self.0))
            },
        ),
        // The certificate is presented by the TLS layer: configure it on the
        // `reqwest::Client` given to `with_http_client`.
        Placement::ClientCertificate => (
            quote! {
                pub struct #name_ident(());

                impl #name_ident {
                    /// Says the `reqwest::Client` this request goes through presents a client certificate.
                    pub fn configured() -> Self {
                        Self(())
                    }
                }
            },
            quote! { request },
        ),
    };
    quote! {
        #docs
        #[derive(Clone)]
        #definition

        impl std::fmt::Debug for #name_ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#redacted)
            }
        }

        impl sealed::Sealed for #name_ident {}

        impl Credentials for #name_ident {
            fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
                #apply
            }
        }
    }
}

fn credential_doc(api: &Api, credential: &Credential) -> String {
    let mut text = doc::inline(&summary(
        &credential.summary,
        credential.description.as_deref(),
    ));
    let wire = match &credential.placement {
        Placement::Bearer => "the `Authorization: Bearer …` header".to_string(),
        Placement::Basic => "the `Authorization: Basic …` header".to_string(),
        Placement::Header { name } => format!("the {} header", doc::code(name)),
        Placement::Cookie { name } => format!("the {} cookie", doc::code(name)),
        Placement::Query { name } => format!("the {} query parameter", doc::code(name)),
        Placement::Authorization { scheme } => {
            format!(
                "the {} header",
                doc::code(&format!("Authorization: {scheme} …"))
            )
        }
        Placement::ClientCertificate => String::new(),
    };
    if credential.placement == Placement::ClientCertificate {
        text.push_str(
            "\n\nA TLS client certificate (`mutualTLS`): nothing travels in the request. Build \
             the `reqwest::Client` with the identity, e.g. \
             `reqwest::Client::builder().identity(reqwest::Identity::from_pem(&pem)?).build()?` \
             (a PEM holding the private key and the certificate chain; TLS is rustls), pass it \
             to the client's `with_http_client`, and pass this value as the credential: it only \
             says the certificate is there.",
        );
    } else {
        text.push_str(&format!("\n\nSent in {wire} (marked sensitive)."));
    }
    if let Some(issuer) = &credential.issuer {
        text.push_str("\n\n");
        text.push_str(&issuer_doc(issuer));
    }
    let services: Vec<String> = credential
        .services
        .iter()
        .filter_map(|id| api.service(id))
        .map(|s| doc::inline(&s.name))
        .collect();
    if !services.is_empty() {
        text.push_str(&format!(" Meant for: {}.", services.join(", ")));
    }
    // The summary is often the description's first sentence; a description
    // that says no more is not repeated.
    if let Some(description) = credential
        .description
        .as_ref()
        .filter(|d| d.trim() != credential.summary.trim())
    {
        text.push_str("\n\n");
        text.push_str(&doc::prose(description));
    }
    text
}

/// The one line that says what a scheme is. A summary taken from the
/// description is its first sentence with the line breaks gone, which for
/// markdown without a period runs the heading and list after it into the
/// line: the first sentence of the first paragraph instead.
fn summary(summary: &str, description: Option<&str>) -> String {
    match description {
        Some(description) if crate::text::first_sentence(description) == summary => {
            let paragraph = description
                .trim_start()
                .split("\n\n")
                .next()
                .unwrap_or(description);
            crate::text::first_sentence(paragraph)
        }
        _ => summary.to_string(),
    }
}

/// Where an OAuth2 or OpenID Connect token comes from, for rustdoc.
fn issuer_doc(issuer: &Issuer) -> String {
    match issuer {
        Issuer::OpenIdConnect { url } => format!(
            "An OpenID Connect access token, sent as a bearer token; the provider's \
             discovery document is at {}.",
            doc::inline(url)
        ),
        Issuer::OAuth2 { flows } => {
            let mut text = "An OAuth2 access token, sent as a bearer token. Flows:".to_string();
            for flow in flows {
                let grant = match flow.grant {
                    Grant::Implicit => "implicit",
                    Grant::Password => "password",
                    Grant::ClientCredentials => "client credentials",
                    Grant::AuthorizationCode => "authorization code",
                };
                let mut urls = Vec::new();
                for (what, url) in [
                    ("authorize at", &flow.authorization_url),
                    ("token from", &flow.token_url),
                    ("refresh at", &flow.refresh_url),
                ] {
                    if let Some(url) = url {
                        urls.push(format!("{what} {}", doc::inline(url)));
                    }
                }
                text.push_str(&format!("\n- {grant}: {}", urls.join(", ")));
                if !flow.scopes.is_empty() {
                    let scopes: Vec<String> = flow
                        .scopes
                        .iter()
                        .map(|(name, description)| {
                            if description.trim().is_empty() {
                                doc::code(name)
                            } else {
                                format!("{} ({})", doc::code(name), doc::inline(description))
                            }
                        })
                        .collect();
                    text.push_str(&format!("; scopes {}", scopes.join(", ")));
                }
            }
            text.push_str(
                "\n\nEach method's documentation lists the scopes its alternatives need.",
            );
            text
        }
    }
}

fn routing_header(header: &RoutingHeader, name: &str) -> TokenStream {
    let name_ident = ident(name);
    let mut text = doc::inline(&summary(&header.summary, header.description.as_deref()));
    text.push_str(&format!(
        "\n\nA routing header, not a credential: sent as {} so the request reaches the right tenant.",
        doc::code(&header.header)
    ));
    if let Some(description) = &header.description {
        text.push_str("\n\n");
        text.push_str(&doc::prose(description));
    }
    let docs = doc::attrs(&text);
    let wire = &header.header;
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct #name_ident(String);

        impl #name_ident {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl sealed::Sealed for #name_ident {}

        impl Credentials for #name_ident {
            fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
                request.header(#wire, self.0.as_str())
            }
        }
    }
}

/// `Credentials` for a tuple of `n` credential sets: each applied in order.
fn tuple_impl(n: usize) -> TokenStream {
    let params: Vec<_> = (0..n).map(|i| quote::format_ident!("C{}", i)).collect();
    let indices = (0..n - 1).map(syn::Index::from);
    let last = syn::Index::from(n - 1);
    quote! {
        impl<#(#params: sealed::Sealed),*> sealed::Sealed for (#(#params,)*) {}

        impl<#(#params: Credentials),*> Credentials for (#(#params,)*) {
            fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
                #(let request = self.#indices.apply(request);)*
                self.#last.apply(request)
            }
        }
    }
}
