// Re-issues tiergen's GitHub workflow commands through @actions/core, the
// toolkit GitHub's own actions write them with: each `::error …::message`
// line read on stdin is decoded, handed to core.error/warning/notice with the
// same properties, and the toolkit's line printed. Equal output means tiergen
// escapes and orders every property the way the runner expects.
import * as core from "@actions/core";
import { createInterface } from "node:readline";

const decode = (text) =>
  text.replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");

const issue = { error: core.error, warning: core.warning, notice: core.notice };

for await (const line of createInterface({ input: process.stdin })) {
  const match = /^::(error|warning|notice) (.*?)::(.*)$/.exec(line);
  if (!match) continue;
  const [, command, props, message] = match;
  const properties = {};
  for (const pair of props.split(",")) {
    const at = pair.indexOf("=");
    const [key, value] = [pair.slice(0, at), decode(pair.slice(at + 1))];
    const name = { line: "startLine", col: "startColumn" }[key] ?? key;
    properties[name] = key === "line" || key === "col" ? Number(value) : value;
  }
  issue[command](decode(message), properties);
}
