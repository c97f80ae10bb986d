//! Builds the IR from a lowered, parsed OpenAPI document: services,
//! credentials, routing headers, tags and named types. Operations are built
//! in [`super::operations`].

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};
use serde_json::Value;

use super::declarations::{self, ServiceDeclaration};
use super::shapes::ShapeBuilder;
use crate::error::{Error, Result, escape_token};
use crate::ir::{
    Api, Credential, CredentialId, NamedType, Placement, RoutingHeader, RoutingHeaderId,
    ServerVariable, Service, ServiceId, Tag,
};

pub fn build_api(
    openapi: &OpenAPI,
    file: &Path,
    order: &super::operations::MethodOrder,
) -> Result<Api> {
    let empty = Default::default();
    let components = openapi.components.as_ref().unwrap_or(&empty);
    let shapes = ShapeBuilder {
        file,
        components: &components.schemas,
    };
    let services = services(openapi, file)?;
    let (credentials, routing_headers) = schemes(openapi, file, &services)?;
    let types = named_types(&shapes)?;
    let mut api = Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        package: declarations::package(file, &openapi.info.extensions)?,
        services,
        credentials,
        routing_headers,
        tags: openapi
            .tags
            .iter()
            .map(|t| Tag {
                name: t.name.clone(),
                description: t.description.clone(),
            })
            .collect(),
        operations: Vec::new(),
        types,
    };
    api.operations = super::operations::build_operations(openapi, file, &api, &shapes, order)?;
    Ok(api)
}

/// Services come from `x-tiergen-service` on the servers. A spec with none
/// declared is one service at its first server, owning every path.
fn services(openapi: &OpenAPI, file: &Path) -> Result<Vec<Service>> {
    let mut services = Vec::new();
    for (i, server) in openapi.servers.iter().enumerate() {
        let at = format!("/servers/{i}");
        let Some(declared) = declarations::read::<ServiceDeclaration>(
            file,
            &at,
            &server.extensions,
            declarations::SERVICE,
        )?
        else {
            continue;
        };
        if let Some(word) = &declared.command
            && !word.is_empty()
            && !declarations::is_command_word(word)
        {
            return Err(Error::at_pointer(
                file,
                &format!("{at}/{}/command", declarations::SERVICE),
                format!("invalid command word {word:?}: use `a-z 0-9 -`, starting with a letter"),
            ));
        }
        if services.iter().any(|s: &Service| s.id.0 == declared.id) {
            return Err(Error::at_pointer(
                file,
                &format!("{at}/{}", declarations::SERVICE),
                format!("service id {:?} is declared twice", declared.id),
            ));
        }
        services.push(Service {
            id: ServiceId(declared.id),
            name: declared.name,
            base_url: server.url.clone(),
            description: server.description.clone(),
            variables: server_variables(server),
            path_prefixes: declared.path_prefixes,
            command: declared.command,
        });
    }
    if services.is_empty() {
        let server = openapi.servers.first();
        services.push(Service {
            id: ServiceId("api".to_string()),
            name: openapi.info.title.clone(),
            base_url: server.map_or_else(|| "/".to_string(), |s| s.url.clone()),
            description: server.and_then(|s| s.description.clone()),
            variables: server.map(server_variables).unwrap_or_default(),
            path_prefixes: vec!["/".to_string()],
            command: None,
        });
    }
    Ok(services)
}

fn server_variables(server: &openapiv3::Server) -> Vec<ServerVariable> {
    server
        .variables
        .iter()
        .flatten()
        .map(|(name, v)| ServerVariable {
            name: name.clone(),
            default: v.default.clone(),
            description: v.description.clone(),
            allowed: v.enumeration.clone(),
        })
        .collect()
}

/// Splits the security schemes into credentials and routing headers.
fn schemes(
    openapi: &OpenAPI,
    file: &Path,
    services: &[Service],
) -> Result<(Vec<Credential>, Vec<RoutingHeader>)> {
    let mut credentials = Vec::new();
    let mut routing = Vec::new();
    let Some(components) = &openapi.components else {
        return Ok((credentials, routing));
    };
    for (name, scheme) in &components.security_schemes {
        let at = format!("/components/securitySchemes/{}", escape_token(name));
        let ReferenceOr::Item(scheme) = scheme else {
            return Err(Error::at_pointer(
                file,
                &at,
                "a security scheme given as $ref is not supported",
            ));
        };
        let (placement, description, extensions) = placement(scheme, file, &at)?;
        let summary =
            match declarations::read::<String>(file, &at, extensions, declarations::SUMMARY)? {
                Some(summary) => summary,
                None => crate::text::first_sentence(description.unwrap_or(name)),
            };
        let is_routing = declarations::read::<bool>(file, &at, extensions, declarations::ROUTING)?
            .unwrap_or(false);
        if is_routing {
            let Placement::Header { name: header } = placement else {
                return Err(Error::at_pointer(
                    file,
                    &format!("{at}/{}", declarations::ROUTING),
                    "a routing header must be an apiKey scheme `in: header`",
                ));
            };
            routing.push(RoutingHeader {
                id: RoutingHeaderId(name.clone()),
                header,
                summary,
                description: description.cloned(),
                env: declarations::env_var(file, &at, extensions)?,
            });
            continue;
        }
        let declared: Vec<String> =
            declarations::read(file, &at, extensions, declarations::SERVICES)?.unwrap_or_default();
        for id in &declared {
            if !services.iter().any(|s| &s.id.0 == id) {
                return Err(Error::at_pointer(
                    file,
                    &format!("{at}/{}", declarations::SERVICES),
                    format!("unknown service {id:?}"),
                ));
            }
        }
        credentials.push(Credential {
            id: CredentialId(name.clone()),
            summary,
            description: description.cloned(),
            placement,
            services: declared.into_iter().map(ServiceId).collect(),
            env: declarations::env_var(file, &at, extensions)?,
        });
    }
    Ok((credentials, routing))
}

type SchemeParts<'a> = (
    Placement,
    Option<&'a String>,
    &'a indexmap::IndexMap<String, Value>,
);

fn placement<'a>(scheme: &'a SecurityScheme, file: &Path, at: &str) -> Result<SchemeParts<'a>> {
    match scheme {
        SecurityScheme::APIKey {
            location,
            name,
            description,
            extensions,
        } => {
            let name = name.clone();
            let placement = match location {
                APIKeyLocation::Header => Placement::Header { name },
                APIKeyLocation::Cookie => Placement::Cookie { name },
                APIKeyLocation::Query => Placement::Query { name },
            };
            Ok((placement, description.as_ref(), extensions))
        }
        SecurityScheme::HTTP {
            scheme,
            description,
            extensions,
            ..
        } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => Ok((Placement::Bearer, description.as_ref(), extensions)),
            "basic" => Ok((Placement::Basic, description.as_ref(), extensions)),
            other => Err(Error::at_pointer(
                file,
                &format!("{at}/scheme"),
                format!("HTTP auth scheme {other:?} is not supported (bearer or basic)"),
            )),
        },
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
            Err(Error::at_pointer(
                file,
                &format!("{at}/type"),
                "oauth2 and openIdConnect security schemes are not supported by tiergen",
            ))
        }
    }
}

fn named_types(shapes: &ShapeBuilder<'_>) -> Result<Vec<NamedType>> {
    check_alias_cycles(shapes)?;
    shapes
        .components
        .iter()
        .map(|(name, schema)| {
            let at = format!("/components/schemas/{}", escape_token(name));
            Ok(NamedType {
                name: name.clone(),
                ty: shapes.any(schema, &at)?,
            })
        })
        .collect()
}

/// `A: {$ref: B}`, `B: {$ref: A}` names no value at all: reject it. Cycles
/// through properties or items are fine (recursive types).
fn check_alias_cycles(shapes: &ShapeBuilder<'_>) -> Result<()> {
    for start in shapes.components.keys() {
        let mut seen = BTreeSet::new();
        let mut current = start.clone();
        while let Some(ReferenceOr::Reference { reference }) = shapes.components.get(&current) {
            let at = format!("/components/schemas/{}/$ref", escape_token(&current));
            if !seen.insert(current.clone()) {
                return Err(Error::at_pointer(
                    shapes.file,
                    &at,
                    format!("$ref cycle without indirection through schema {current:?}"),
                ));
            }
            current = shapes.ref_name(reference, &at)?;
        }
    }
    Ok(())
}
