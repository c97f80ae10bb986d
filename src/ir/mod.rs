//! The intermediate representation: everything an emitter may know about an API.
//!
//! The IR owns its types; nothing here mentions `openapiv3` or any emitter. It
//! is built once by [`crate::frontend`] and then only read. Every collection
//! keeps the spec's own order so output is deterministic without sorting maps.

mod auth;
mod consent;
mod credential;
mod effect;
mod encoding;
mod guard;
mod lifecycle;
mod operation;
mod service;
mod shape;

pub use auth::{Auth, Requirement};
pub use consent::{Consent, ConsentReason, Trigger, TriggerLocation};
pub use credential::{
    Credential, CredentialId, Grant, Issuer, OAuthFlow, Placement, RoutingHeader, RoutingHeaderId,
};
pub use effect::{Effect, EffectKind};
pub use encoding::BodyEncoding;
pub use guard::Guard;
pub use lifecycle::{Date, Lifecycle, Stability};
pub use operation::{
    Body, Method, Operation, Param, ParamLocation, ParamStyle, Response, ResponseHeader,
    Serialization, Status, Webhook,
};
pub use service::{ServerVariable, Service, ServiceId};
pub use shape::{
    Access, Additional, ArrayBounds, Constraints, Direction, Discriminator, NamedType, Property,
    Scalar, Shape, Type, Types,
};

use serde::Serialize;

/// A whole API: what `tiergen ir` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The name of the packages generated for this API (`x-tiergen-package`
    /// on `info`), when the spec declares one; emitters derive a default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The command-line program's name (`x-tiergen-cli` on `info`), when
    /// the spec declares one; the naming rules derive a default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cli: Option<String>,
    pub services: Vec<Service>,
    pub credentials: Vec<Credential>,
    pub routing_headers: Vec<RoutingHeader>,
    pub tags: Vec<Tag>,
    pub operations: Vec<Operation>,
    pub types: Types,
    /// Requests the API sends to its callers (3.1 `webhooks`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<Webhook>,
    /// What the spec says that the IR holds only approximately (a keyword
    /// ignored, a type union widened); `tiergen lint` reports each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approximations: Vec<Approximation>,
}

/// One place where the IR is looser than the spec, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approximation {
    /// A JSON pointer into the spec (after the overlay is applied).
    pub pointer: String,
    pub message: String,
}

/// An operation group as the spec declares it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Api {
    pub fn service(&self, id: &ServiceId) -> Option<&Service> {
        self.services.iter().find(|s| &s.id == id)
    }

    pub fn credential(&self, id: &CredentialId) -> Option<&Credential> {
        self.credentials.iter().find(|c| &c.id == id)
    }

    pub fn routing_header(&self, id: &RoutingHeaderId) -> Option<&RoutingHeader> {
        self.routing_headers.iter().find(|r| &r.id == id)
    }

    pub fn named_type(&self, name: &str) -> Option<&NamedType> {
        self.types.get(name)
    }

    /// The IR's one look through a `$ref`: the type `ty` stands for, its
    /// reference followed to the named type (and on, when that is itself a
    /// reference); `ty` itself when it is no reference, and the last type
    /// reached when a name is missing or the chain runs in a circle. Only
    /// the top level is followed: the references inside an object stay.
    pub fn resolved<'a>(&'a self, ty: &'a Type) -> &'a Type {
        let mut current = ty;
        // A chain longer than the spec has types must be a circle.
        for _ in 0..=self.types.len() {
            match &current.shape {
                Shape::Ref { name } => match self.named_type(name) {
                    Some(named) => current = &named.ty,
                    None => break,
                },
                _ => break,
            }
        }
        current
    }

    /// The declared properties of the object `ty` stands for (see
    /// [`Api::resolved`]); empty when it is no object.
    pub fn object_properties<'a>(&'a self, ty: &'a Type) -> &'a [Property] {
        self.resolved(ty).properties()
    }

    /// Operations of one service, in spec order.
    pub fn operations_of<'a>(
        &'a self,
        service: &'a ServiceId,
    ) -> impl Iterator<Item = &'a Operation> {
        self.operations
            .iter()
            .filter(move |op| &op.service == service)
    }
}
