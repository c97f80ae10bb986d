//! Builds the IR from a lowered, parsed OpenAPI document: services,
//! credentials, routing headers, tags and named types. Operations are built
//! in [`super::operations`].

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};

use super::declarations::{self, ServiceDeclaration};
use super::lower::Lowered;
use super::shapes::ShapeBuilder;
use crate::error::{Error, Result, escape_token};
use crate::ir::{Api, NamedType, ServerVariable, Service, ServiceId, Tag, Types};

pub fn build_api(
    openapi: &OpenAPI,
    lowered: Lowered,
    file: &Path,
    order: &super::operations::MethodOrder,
) -> Result<Api> {
    let empty = Default::default();
    let components = openapi.components.as_ref().unwrap_or(&empty);
    let shapes = ShapeBuilder {
        file,
        components: &components.schemas,
    };
    let mut services = services(openapi, file)?;
    add_server_services(openapi, &mut services);
    let (credentials, routing_headers) =
        super::security::schemes(&lowered.security_schemes, file, &services)?;
    let types = named_types(&shapes)?;
    let mut api = Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        package: declarations::package(file, &openapi.info.extensions)?,
        cli: declarations::cli(file, &openapi.info.extensions)?,
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
        types: Types::new(types),
        webhooks: Vec::new(),
        approximations: lowered.approximations,
    };
    let built = super::operations::build_operations(openapi, file, &api, &shapes, order)?;
    api.operations = built.operations;
    api.approximations.extend(built.approximations);
    api.webhooks =
        super::operations::build_webhooks(&lowered.webhooks, openapi, file, &api, &shapes)?;
    Ok(api)
}

/// Services come from `x-tiergen-service` on the servers. A spec with none
/// declared is one service, `api`, at its first server, owning every path;
/// its other top-level servers are alternate URLs of the same service.
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
            alternate_urls: Vec::new(),
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
            alternate_urls: openapi
                .servers
                .iter()
                .skip(1)
                .map(|s| s.url.clone())
                .collect(),
            description: server.and_then(|s| s.description.clone()),
            variables: server.map(server_variables).unwrap_or_default(),
            path_prefixes: vec!["/".to_string()],
            command: None,
        });
    }
    Ok(services)
}

/// A path item or operation with `servers` of its own is served elsewhere:
/// each such server not already a service becomes one, named from its host
/// and path, owning only the operations that name it.
fn add_server_services(openapi: &OpenAPI, services: &mut Vec<Service>) {
    let items = openapi
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item());
    for item in items {
        let operations = item.iter().map(|(_, op)| op);
        let lists = std::iter::once(&item.servers).chain(operations.map(|op| &op.servers));
        for server in lists.filter_map(|servers| servers.first()) {
            if services.iter().any(|s| s.base_url == server.url) {
                continue;
            }
            let id =
                crate::naming::service_id(&server.url, |id| services.iter().any(|s| s.id.0 == id));
            services.push(Service {
                id: ServiceId(id),
                name: server.url.clone(),
                base_url: server.url.clone(),
                alternate_urls: Vec::new(),
                description: server.description.clone(),
                variables: server_variables(server),
                path_prefixes: Vec::new(),
                command: None,
            });
        }
    }
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
