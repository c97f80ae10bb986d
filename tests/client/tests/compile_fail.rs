//! An operation called with a credential set the spec does not accept for it
//! does not compile. Each case in `ui/` is one such call; its `.stderr` is
//! the diagnostic users see (`TRYBUILD=overwrite` rewrites them).

#[test]
fn credentials_the_spec_does_not_accept_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
