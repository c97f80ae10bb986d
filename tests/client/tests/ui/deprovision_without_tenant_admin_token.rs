// Deprovision needs the provision secret AND the tenant admin token.
use molecule_client::{ControlPlaneClient, ProvisionSecret};

fn main() {
    let cp = ControlPlaneClient::new();
    let id = uuid::Uuid::nil();
    drop(cp.deprovision_workspace(&ProvisionSecret::new("shared-secret"), id));
}
