// On the tenant surface the org API key must travel with its routing header,
// and the session alternative takes the slug header, not the id header.
use molecule_client::{OrgApiKey, OrgRoutingHeaderId, TenantClient, WorkosSession};

fn main() {
    let tenant = TenantClient::new("agents-team");
    drop(tenant.list_workspaces(&OrgApiKey::new("org-key")));
    drop(tenant.list_workspaces(&(WorkosSession::new("sess"), OrgRoutingHeaderId::new("org-1"))));
}
