// Creating a workspace is tenant-admin: a per-workspace token is not enough.
use molecule_client::{models, OrgRoutingHeaderId, TenantClient, WorkspaceToken};

fn main() {
    let tenant = TenantClient::new("agents-team");
    let body = models::CreateWorkspaceRequest {
        name: "w".into(),
        role: None,
        template: None,
        tier: None,
        model: None,
        llm_provider: None,
        runtime: None,
        external: None,
        url: None,
        delivery_mode: None,
        workspace_dir: None,
        workspace_access: None,
        parent_id: None,
        budget_limit: None,
        secrets: None,
        max_concurrent_tasks: None,
    };
    let auth = (WorkspaceToken::new("ws-token"), OrgRoutingHeaderId::new("org-1"));
    drop(tenant.create_workspace(&auth, &body));
}
