use serde::{Deserialize, Serialize};

/// Something an operation does beyond its answer, declared with
/// `x-tiergen-effects`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effect {
    #[serde(flatten)]
    pub kind: EffectKind,
    /// The condition under which it happens; absent means always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EffectKind {
    /// The workspace named by the call restarts.
    RestartsWorkspace,
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
    ProxiedToTenant,
    /// Running containers are replaced with a fresh deployment.
    Redeploys { what: String },
}

impl EffectKind {
    pub fn kind(&self) -> &'static str {
        match self {
            EffectKind::RestartsWorkspace => "restarts-workspace",
            EffectKind::RestartsOrgWorkspaces { .. } => "restarts-org-workspaces",
            EffectKind::IrreversiblePurge { .. } => "irreversible-purge",
            EffectKind::CascadeDelete { .. } => "cascade-delete",
            EffectKind::SecretShownOnce { .. } => "secret-shown-once",
            EffectKind::AuditEvent { .. } => "audit-event",
            EffectKind::ProxiedToTenant => "proxied-to-tenant",
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
            EffectKind::RestartsWorkspace => "restarts the workspace".to_string(),
            EffectKind::RestartsOrgWorkspaces { scope } => format!("restarts {scope}"),
            EffectKind::IrreversiblePurge { cascade } => {
                format!("irreversible purge: {}", cascade.join(" + "))
            }
            EffectKind::CascadeDelete { what } => format!("deletes {what}"),
            EffectKind::SecretShownOnce { field } => {
                format!("returns the plaintext secret `{field}` once; it cannot be read again")
            }
            EffectKind::AuditEvent { event } => format!("writes audit event `{event}`"),
            EffectKind::ProxiedToTenant => {
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
