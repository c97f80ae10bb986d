//! Generates the management client into OUT_DIR with tiergen's library API.
//! Cargo reruns this only when the spec or its overlay changes.

fn main() -> Result<(), tiergen::Error> {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/management.yaml");
    tiergen::Generator::new(spec).build_script()?;
    Ok(())
}
