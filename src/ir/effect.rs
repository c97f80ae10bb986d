use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// Something an operation does beyond its answer, declared with
/// `x-tiergen-effects`. Written as one mapping, the kind's fields and
/// `when` side by side; read by [`Effect::from_fields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effect {
    #[serde(flatten)]
    pub kind: EffectKind,
    /// The condition under which it happens; absent means always.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// Why a mapping is no [`Effect`]: the key at fault (`when`; `None` for
/// the kind and its fields) and the reason.
pub type EffectError = (Option<&'static str>, String);

impl Effect {
    /// The one reading of an effect, for the spec's declarations and the
    /// artifacts alike: `when` taken out, the rest must be exactly a kind
    /// with its fields, so an unknown key is refused.
    pub fn from_fields(mut fields: Map<String, Value>) -> Result<Effect, EffectError> {
        let when = match fields.shift_remove("when") {
            None => None,
            Some(Value::String(when)) => Some(when),
            Some(_) => return Err((Some("when"), "`when` must be a string".to_string())),
        };
        let kind = EffectKind::deserialize(Value::Object(fields))
            .map_err(|e| (None, format!("invalid effect: {e}")))?;
        Ok(Effect { kind, when })
    }
}

impl<'de> Deserialize<'de> for Effect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = Map::deserialize(deserializer)?;
        Effect::from_fields(fields).map_err(|(_, reason)| serde::de::Error::custom(reason))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EffectKind {
    /// The workspace named by the call restarts. (The kinds without fields
    /// are empty structs, not units: serde lets a unit variant of a tagged
    /// enum through with unknown keys beside its tag.)
    RestartsWorkspace {},
    /// Every affected workspace of the org restarts; `scope` says which.
    RestartsOrgWorkspaces { scope: String },
    /// Data is destroyed for good, across these systems.
    IrreversiblePurge { cascade: Vec<String> },
    /// Resources are deleted (recoverable or not, as `what` says).
    CascadeDelete { what: String },
    /// A secret is returned in plaintext exactly once, in this response field.
    SecretShownOnce { field: String },
    /// An audit event is written.
    AuditEvent { event: String },
    /// The control plane forwards the call to the tenant's own server.
    ProxiedToTenant {},
    /// Running containers are replaced with a fresh deployment.
    Redeploys { what: String },
}

impl EffectKind {
    pub fn kind(&self) -> &'static str {
        match self {
            EffectKind::RestartsWorkspace {} => "restarts-workspace",
            EffectKind::RestartsOrgWorkspaces { .. } => "restarts-org-workspaces",
            EffectKind::IrreversiblePurge { .. } => "irreversible-purge",
            EffectKind::CascadeDelete { .. } => "cascade-delete",
            EffectKind::SecretShownOnce { .. } => "secret-shown-once",
            EffectKind::AuditEvent { .. } => "audit-event",
            EffectKind::ProxiedToTenant {} => "proxied-to-tenant",
            EffectKind::Redeploys { .. } => "redeploys",
        }
    }

    /// True for effects that destroy data.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            EffectKind::IrreversiblePurge { .. } | EffectKind::CascadeDelete { .. }
        )
    }
}

impl Effect {
    /// One sentence for people.
    pub fn describe(&self) -> String {
        let what = match &self.kind {
            EffectKind::RestartsWorkspace {} => "restarts the workspace".to_string(),
            EffectKind::RestartsOrgWorkspaces { scope } => format!("restarts {scope}"),
            EffectKind::IrreversiblePurge { cascade } => {
                format!("irreversible purge: {}", cascade.join(" + "))
            }
            EffectKind::CascadeDelete { what } => format!("deletes {what}"),
            EffectKind::SecretShownOnce { field } => {
                format!("returns the plaintext secret `{field}` once; it cannot be read again")
            }
            EffectKind::AuditEvent { event } => format!("writes audit event `{event}`"),
            EffectKind::ProxiedToTenant {} => {
                "proxied by the control plane to the tenant server".to_string()
            }
            EffectKind::Redeploys { what } => format!("redeploys {what}"),
        };
        match &self.when {
            Some(when) => format!("{what} (when {when})"),
            None => what,
        }
    }
}
