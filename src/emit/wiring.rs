//! The wiring both the MCP manifests and the CLI route map carry (see
//! [`crate::artifact`]), built from the IR and the resolved names. A shared
//! helper like `markdown`, not an emitter.

use indexmap::IndexMap;

use crate::artifact::{Credential, Routing, Service, TokenIssuer, Variable};
use crate::ir;
use crate::naming::Names;

/// `services`, by id, in the order given.
pub fn services<'a>(
    names: &Names<'_>,
    services: impl Iterator<Item = &'a ir::Service>,
) -> Result<IndexMap<String, Service>, String> {
    services
        .map(|s| {
            let variables = s
                .variables
                .iter()
                .map(|v| {
                    let env = names.variable_env(&v.name)?.to_string();
                    let variable = Variable {
                        default: v.default.clone(),
                        env,
                    };
                    Ok((v.name.clone(), variable))
                })
                .collect::<Result<_, String>>()?;
            let service = Service {
                name: s.name.clone(),
                base_url: s.base_url.clone(),
                variables,
            };
            Ok((s.id.0.clone(), service))
        })
        .collect()
}

/// `credentials`, by id, in the order given.
pub fn credentials<'a>(
    names: &Names<'_>,
    credentials: impl Iterator<Item = &'a ir::Credential>,
) -> Result<IndexMap<String, Credential>, String> {
    credentials
        .map(|c| {
            let credential = Credential {
                placement: c.placement.clone(),
                env: names.credential_env(&c.id)?.to_string(),
                issuer: c.issuer.as_ref().map(TokenIssuer::from),
            };
            Ok((c.id.0.clone(), credential))
        })
        .collect()
}

/// `routing`, by id, in the order given.
pub fn routing<'a>(
    names: &Names<'_>,
    headers: impl Iterator<Item = &'a ir::RoutingHeader>,
) -> Result<IndexMap<String, Routing>, String> {
    headers
        .map(|r| {
            let routing = Routing {
                header: r.header.clone(),
                env: names.routing_env(&r.id)?.to_string(),
            };
            Ok((r.id.0.clone(), routing))
        })
        .collect()
}
