#!/usr/bin/env node
// mdx-check.mjs DIR
//
// Compiles every .md file under DIR (recursively, sorted) with the real MDX
// compiler (@mdx-js/mdx, format 'mdx', remark-gfm), the way the docs site
// (Fumadocs) treats these pages: a bare `<slug>` or `{id}` outside a code span
// is a build error there, so it is one here.
//
// Second check, same files: every line that starts with `|` (outside code)
// must lie inside a GFM `table` node of the mdast (remark-parse + remark-gfm).
// A table that lost its delimiter row silently renders as a paragraph of
// pipes; this catches that.
//
// Prints `ok <file>` per clean file and `<file>:<line>:<col>: <message>` per
// problem. Exit 0 when all files pass, 1 when any failed, 2 when DIR is
// missing or holds no .md files.

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { compile } from '@mdx-js/mdx';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

// The page's YAML frontmatter, which the docs site reads as data and never
// compiles, blanked line for line (so positions still match the file).
function withoutFrontmatter(source) {
  if (!source.startsWith('---\n')) return source;
  const end = source.indexOf('\n---\n', 3);
  if (end < 0) return source;
  const head = source.slice(0, end + 5);
  return head.replace(/[^\n]/g, '') + source.slice(end + 5);
}

async function findMarkdown(dir) {
  const out = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      out.push(...(await findMarkdown(full)));
    } else if (entry.isFile() && entry.name.endsWith('.md')) {
      out.push(full);
    }
  }
  return out;
}

// Problems from the MDX compile. A syntax error is thrown as a VFileMessage
// (one problem). A compile that succeeds can still break the site: `{id}` is a
// valid JS expression, so it compiles, then throws `ReferenceError: id is not
// defined` when Fumadocs renders the page. Generated docs carry no intended
// expressions, so every non-empty `{...}` the compiler saw is a problem too
// (an empty one, `{/* comment */}`, is allowed).
async function mdxProblems(file, source) {
  const found = [];
  const collect = () => (tree) => {
    const walk = (node) => {
      const start = node.position?.start ?? { line: 0, column: 0 };
      if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
        const body = node.data?.estree?.body ?? [];
        if (body.length > 0) {
          found.push({
            line: start.line,
            column: start.column,
            message: `MDX expression \`{${node.value}}\` would run as JavaScript on the docs site; put it in a code span or escape the brace`,
          });
        }
      }
      for (const child of node.children ?? []) walk(child);
    };
    walk(tree);
  };
  try {
    await compile({ value: source, path: file }, { remarkPlugins: [remarkGfm, collect], format: 'mdx' });
    return found;
  } catch (err) {
    let line = err?.line ?? err?.place?.start?.line ?? err?.place?.line ?? 0;
    let column = err?.column ?? err?.place?.start?.column ?? err?.place?.column ?? 0;
    const reason = String(err?.reason ?? err?.message ?? err).split('\n')[0];
    // An unclosed tag is reported at the start of its paragraph; the tag's own
    // place is in the reason, e.g. "Expected a closing tag for `<slug>` (3:11-3:17)".
    const tag = /^Expected a closing tag for `[^`]*` \((\d+):(\d+)-/.exec(reason);
    if (tag) {
      line = Number(tag[1]);
      column = Number(tag[2]);
    }
    const rule = err?.ruleId ? ` [${err.source ? `${err.source}:` : ''}${err.ruleId}]` : '';
    return [{ line, column, message: `MDX compile failed: ${reason}${rule}` }];
  }
}

// Problems from the table check: lines starting with `|` not inside a table.
function tableProblems(source) {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(source);
  const tableLines = new Set();
  const codeLines = new Set();
  const walk = (node) => {
    const pos = node.position;
    if (pos && (node.type === 'table' || node.type === 'code' || node.type === 'html')) {
      const target = node.type === 'table' ? tableLines : codeLines;
      for (let l = pos.start.line; l <= pos.end.line; l++) target.add(l);
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(tree);

  const problems = [];
  const lines = source.split(/\r?\n/);
  lines.forEach((text, i) => {
    const line = i + 1;
    const m = /^(\s*)\|/.exec(text);
    if (!m || tableLines.has(line) || codeLines.has(line)) return;
    problems.push({
      line,
      column: m[1].length + 1,
      message: 'line starts with "|" but is not part of a GFM table (missing or malformed delimiter row?)',
    });
  });
  return problems;
}

async function main() {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) {
    console.error('usage: node mdx-check.mjs DIR');
    return 2;
  }
  let info;
  try {
    info = await stat(dir);
  } catch {
    console.error(`mdx-check: ${dir}: no such directory`);
    return 2;
  }
  if (!info.isDirectory()) {
    console.error(`mdx-check: ${dir}: not a directory`);
    return 2;
  }
  const files = (await findMarkdown(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) {
    console.error(`mdx-check: ${dir}: no .md files found`);
    return 2;
  }

  let failed = 0;
  for (const file of files) {
    const source = withoutFrontmatter(await readFile(file, 'utf8'));
    const problems = [...(await mdxProblems(file, source)), ...tableProblems(source)];
    if (problems.length === 0) {
      console.log(`ok ${file}`);
      continue;
    }
    failed++;
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const p of problems) console.log(`${file}:${p.line}:${p.column}: ${p.message}`);
  }
  const passed = files.length - failed;
  console.log(`mdx-check: ${passed} of ${files.length} files clean, ${failed} with problems`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`mdx-check: internal error: ${err?.stack ?? err}`);
    process.exit(2);
  },
);
