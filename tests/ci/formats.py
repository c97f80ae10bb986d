"""tiergen's CI formats read by the tools that consume them, none written here:

- SARIF validated against the official SARIF 2.1.0 JSON schema (as Microsoft
  ships it in @microsoft/jest-sarif) and loaded by Microsoft's sarif-tools,
  whose records must carry tiergen's rule, level, file and line;
- JUnit XML parsed by junitparser: failures are exactly the error findings;
- GitHub workflow commands re-issued through @actions/core (annotations.mjs),
  which must print the very same lines.

Run by .ci/run: python3 tests/ci/formats.py TIERGEN SCHEMA NODE_MODULES
"""

import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import junitparser
from sarif import loader

from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

failures = []
passed = 0


def check(condition, what):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def tiergen(*args, expect=None):
    run = subprocess.run([TIERGEN, *args], cwd=ROOT, capture_output=True, text=True)
    if expect is not None:
        check(run.returncode == expect, f"tiergen {' '.join(args)} exits {expect} (got {run.returncode}: {run.stderr})")
    return run.stdout


def stale_out():
    """A copy of golden/ with one page edited by hand: `check` finds it stale."""
    out = Path(tempfile.mkdtemp()) / "golden"
    subprocess.run([TIERGEN, "generate", "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    page = out / "docs" / "cp-admin.md"
    lines = page.read_text().splitlines()
    lines[9] = "an edit by hand"
    page.write_text("\n".join(lines) + "\n")
    return str(out)


def runs():
    """(name, args, exit code) of every report checked, in each format."""
    lint = ["lint", "--spec", "tests/fixtures/lint/unauthenticated-mutation.yaml"]
    diff = ["diff", "tests/fixtures/diff/old.yaml", "tests/fixtures/diff/new.yaml", "--fail-on", "security"]
    check_ = ["check", "--out", stale_out()]
    return [("lint", lint, 1), ("diff", diff, 1), ("check", check_, 1), ("clean lint", ["lint"], 0)]


def sarif_checks(name, text, schema):
    log = json.loads(text)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    check(not errors, f"{name}: SARIF validates against the 2.1.0 schema: {[e.message for e in errors[:3]]}")
    with tempfile.NamedTemporaryFile("w", suffix=".sarif", delete=False) as file:
        file.write(text)
    loaded = loader.load_sarif_file(file.name)
    results = log["runs"][0]["results"]
    check(loaded.get_result_count() == len(results), f"{name}: sarif-tools counts {len(results)} results")
    records = loaded.get_records()
    for record, result in zip(records, results):
        location = result["locations"][0]["physicalLocation"]
        check(record["Code"] == result["ruleId"], f"{name}: sarif-tools reads rule {result['ruleId']}")
        check(record["Severity"] == result["level"], f"{name}: sarif-tools reads level {result['level']}")
        check(record["Location"] == location["artifactLocation"]["uri"], f"{name}: sarif-tools reads the file")
        if "region" in location:
            check(record["Line"] == location["region"]["startLine"], f"{name}: sarif-tools reads the line")
    for result in results:
        rules = loaded.get_rules_by_id(result["ruleId"])
        check(len(rules) == 1, f"{name}: sarif-tools finds the one rule of {result['ruleId']}")


def junit_checks(name, text, sarif):
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as file:
        file.write(text)
    xml = junitparser.JUnitXml.fromfile(file.name)
    cases = [case for suite in xml for case in suite]
    failed = [case for case in cases if any(isinstance(r, junitparser.Failure) for r in case.result)]
    results = json.loads(sarif)["runs"][0]["results"]
    errors = sorted(r["ruleId"] for r in results if r["level"] == "error")
    failed_rules = sorted(case.result[0].type for case in failed)
    check(failed_rules == errors, f"{name}: JUnit fails exactly the error findings {errors} (got {failed_rules})")
    finding_cases = [case for case in cases if case.classname in {r["ruleId"] for r in results}]
    check(len(finding_cases) >= len(results), f"{name}: every finding's rule has its cases")
    for case in failed:
        message = case.result[0].message or ""
        check(message != "", f"{name}: a failure says why ({case.name})")


def github_checks(name, text, node_modules):
    lines = [line for line in text.splitlines() if line.startswith("::")]
    env = dict(os.environ, NODE_PATH=node_modules)
    script = HERE / "annotations.mjs"
    # An ES module resolves packages from its own folder up, so run a copy
    # placed beside the node_modules that hold @actions/core.
    copy = Path(node_modules).parent / ".tiergen-annotations.mjs"
    copy.write_text(script.read_text())
    again = subprocess.run(["node", str(copy)], input="\n".join(lines) + "\n", capture_output=True, text=True, env=env)
    check(again.returncode == 0, f"{name}: @actions/core re-issues the commands: {again.stderr}")
    check(again.stdout.splitlines() == lines, f"{name}: @actions/core writes the same {len(lines)} lines:\n" + "\n".join(
        f"  ours:    {a}\n  toolkit: {b}" for a, b in zip(lines, again.stdout.splitlines()) if a != b))


def main():
    schema = json.loads(Path(SCHEMA).read_text())
    for name, args, code in runs():
        sarif = tiergen(*args, "--format", "sarif", expect=code)
        sarif_checks(name, sarif, schema)
        junit_checks(name, tiergen(*args, "--format", "junit", expect=code), sarif)
        github_checks(name, tiergen(*args, "--format", "github", expect=code), NODE_MODULES)
    print(f"ci formats: {passed} checks passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    TIERGEN, SCHEMA, NODE_MODULES = (str(Path(a).resolve()) for a in sys.argv[1:4])
    main()
