// The org API key is a tenant credential: it reaches nothing on the control plane.
use molecule_client::{ControlPlaneClient, OrgApiKey, OrgRoutingHeaderId};

fn main() {
    let cp = ControlPlaneClient::new();
    drop(cp.admin_list_orgs(&OrgApiKey::new("org-key")));
    drop(cp.list_orgs(&(OrgApiKey::new("org-key"), OrgRoutingHeaderId::new("org-1"))));
}
