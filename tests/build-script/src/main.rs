//! Lists the caller's organizations: `tiergen-build-script-example BASE_URL`,
//! with the WorkOS session in MOLECULE_WORKOS_SESSION.

use tiergen_build_script_example::{ControlPlaneClient, WorkosSession};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args()
        .nth(1)
        .ok_or("usage: tiergen-build-script-example BASE_URL")?;
    let client = ControlPlaneClient::with_base_url(base_url);
    let session = WorkosSession::new(std::env::var("MOLECULE_WORKOS_SESSION")?);
    for org in client.list_orgs(&session).await? {
        println!("{} ({})", org.slug, org.name);
    }
    Ok(())
}
