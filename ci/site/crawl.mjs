#!/usr/bin/env node
// Crawl the built Fumadocs site (ci/site) served on loopback and check what
// tiergen's generated pages turn into in the real consumer:
//   - every content page (content/docs/**/*.md|mdx) answers 200 and was prerendered,
//   - every <a href> in a page's article that points into /docs answers 200, and
//     its #fragment names an element id on the target page,
//   - every <table> in an article has as many cells in each row as in its header row,
//     and so does every table row in the page's markdown source (GFM pads short
//     rows and drops extra cells, e.g. after an unescaped `|`, before the HTML exists),
//   - each article has exactly one <h1> (the frontmatter title Fumadocs renders),
//   - the sidebar lists every page, and no meta.json `pages` entry names nothing
//     (Fumadocs drops such entries silently).
// Links to other origins are never fetched, only listed.
//
// Usage: node crawl.mjs --base http://127.0.0.1:PORT [--site DIR] [--table-page-out FILE]
// Exit 0 when there is no problem, 1 otherwise, 2 on a usage or setup error.
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep, dirname, extname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'parse5';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';

const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  if (i + 1 >= args.length) usage(`${name} needs a value`);
  return args[i + 1];
}
function usage(msg) {
  console.error(`crawl.mjs: ${msg}\nusage: node crawl.mjs --base http://127.0.0.1:PORT [--site DIR] [--table-page-out FILE]`);
  process.exit(2);
}
const base = opt('--base');
if (!base) usage('--base is required');
const origin = new URL(base).origin;
const siteDir = opt('--site', dirname(fileURLToPath(import.meta.url)));
const tablePageOut = opt('--table-page-out');
const contentDir = join(siteDir, 'content', 'docs');
const DOCS = '/docs';

const problems = [];
const problem = (page, what) => problems.push({ page, what });

// ---------- content files -> page URLs (Fumadocs' default slugs) ----------
const PAGE_EXT = new Set(['.md', '.mdx']);
const groupDir = /^\(.+\)$/;
function walkFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue; // fumadocs-mdx globs without dot files
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walkFiles(full));
    else out.push(full);
  }
  return out;
}
function urlOfFile(rel) {
  const parts = rel.split(sep);
  const name = basename(parts.pop(), extname(rel));
  const slugs = parts.filter((s) => s.length > 0 && !groupDir.test(s)).map(encodeURI);
  if (name !== 'index') slugs.push(encodeURI(name));
  return slugs.length ? `${DOCS}/${slugs.join('/')}` : DOCS;
}
const files = walkFiles(contentDir);
const pages = []; // { url, file, generated }
for (const f of files) {
  if (!PAGE_EXT.has(extname(f))) continue;
  const rel = relative(contentDir, f);
  pages.push({ url: urlOfFile(rel), file: rel, generated: rel.includes(sep) });
}
if (pages.length === 0) {
  console.error(`crawl.mjs: no .md/.mdx page under ${contentDir}`);
  process.exit(2);
}
// A run with no generated section would pass without checking anything of tiergen's.
if (!pages.some((p) => p.generated)) problem(DOCS, 'no generated section: content/docs/<section>/ holds no .md/.mdx page');

// Table rows in the source, as remark-gfm (what Fumadocs uses) parses them.
const md = remark().use(remarkGfm);
const mdx = remark().use(remarkMdx).use(remarkGfm);
let sourceTableCount = 0;
for (const p of pages) {
  const src = readFileSync(join(contentDir, p.file), 'utf8');
  // Blank out the frontmatter, keeping line numbers.
  const body = src.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, (fm) => fm.replace(/[^\n]/g, ''));
  let tree;
  try {
    tree = (p.file.endsWith('.mdx') ? mdx : md).parse(body);
  } catch (e) {
    problem(p.url, `${p.file} does not parse: ${e.message}`);
    continue;
  }
  let ti = 0;
  const visit = (node) => {
    if (node.type === 'table') {
      ti++;
      sourceTableCount++;
      const want = node.children[0]?.children.length ?? 0;
      node.children.forEach((row, ri) => {
        if (row.children.length !== want)
          problem(p.url, `${p.file}:${row.position?.start.line}: source table ${ti}, row ${ri + 1} has ${row.children.length} cells, header row has ${want} (GFM pads or drops them)`);
      });
    }
    for (const c of node.children ?? []) visit(c);
  };
  visit(tree);
}

// meta.json entries that name no page or folder are dropped by Fumadocs without a word.
for (const f of files) {
  if (basename(f) !== 'meta.json') continue;
  const rel = relative(contentDir, f);
  let meta;
  try {
    meta = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    problem(rel, `meta.json is not JSON: ${e.message}`);
    continue;
  }
  const dir = dirname(f);
  for (const entry of meta.pages ?? []) {
    if (typeof entry !== 'string') continue;
    if (entry === '...' || entry === 'z...a') continue; // rest
    if (/^---.*---$|^---$/.test(entry)) continue; // separator
    if (/^(external:)?(\[[^\]]+])?\[[^\]]+]\([^)]+\)$/.test(entry)) continue; // link
    const name = entry.replace(/^!|^\.\.\./, '');
    const target = join(dir, name);
    const found =
      (existsSync(target) && statSync(target).isDirectory()) ||
      existsSync(`${target}.md`) ||
      existsSync(`${target}.mdx`);
    if (!found) problem(rel, `pages entry "${entry}" names no page or folder (Fumadocs silently drops it)`);
  }
}

// Every content page must be prerendered by `next build` (generateStaticParams).
const manifestPath = join(siteDir, '.next', 'prerender-manifest.json');
if (existsSync(manifestPath)) {
  const routes = new Set(Object.keys(JSON.parse(readFileSync(manifestPath, 'utf8')).routes ?? {}));
  for (const p of pages) if (!routes.has(p.url)) problem(p.url, `not prerendered by next build (${p.file})`);
} else {
  problem('-', `no ${relative(siteDir, manifestPath)}: was the site built?`);
}

// ---------- HTML helpers (parse5 tree) ----------
function* walk(node) {
  yield node;
  for (const c of node.childNodes ?? []) yield* walk(c);
  if (node.content) yield* walk(node.content); // <template>
}
const attr = (node, name) => node.attrs?.find((a) => a.name === name)?.value;
const byTag = (root, tag) => [...walk(root)].filter((n) => n.tagName === tag);
function text(node) {
  if (node.nodeName === '#text') return node.value;
  return (node.childNodes ?? []).map(text).join('');
}
function article(doc) {
  const all = byTag(doc, 'article');
  return all.find((n) => attr(n, 'id') === 'nd-page') ?? all[0];
}
function ids(doc) {
  const s = new Set();
  for (const n of walk(doc)) {
    const id = attr(n, 'id');
    if (id !== undefined) s.add(id);
  }
  return s;
}

// ---------- fetching (cached) ----------
const cache = new Map(); // path -> Promise<{ status, doc?, ids? }>
function get(path) {
  if (!cache.has(path)) {
    cache.set(
      path,
      (async () => {
        try {
          const res = await fetch(origin + path, { redirect: 'follow' });
          const body = await res.text();
          if (res.status !== 200) return { status: res.status };
          const doc = parse(body);
          return { status: 200, doc, ids: ids(doc) };
        } catch (e) {
          return { status: `fetch failed: ${e.message}` };
        }
      })(),
    );
  }
  return cache.get(path);
}

// ---------- crawl ----------
let linkCount = 0;
let fragmentCount = 0;
let tableCount = 0;
const external = new Map(); // href -> first page
let firstTablePage;
const sidebarLinks = new Set();

for (const p of pages) {
  const r = await get(p.url);
  if (r.status !== 200) {
    problem(p.url, `answers ${r.status} (${p.file})`);
    continue;
  }
  const sidebar = [...walk(r.doc)].find((n) => attr(n, 'id') === 'nd-sidebar');
  if (!sidebar) problem(p.url, 'no #nd-sidebar in the page');
  else for (const a of byTag(sidebar, 'a')) sidebarLinks.add(new URL(attr(a, 'href') ?? '', origin + p.url).pathname);

  const art = article(r.doc);
  if (!art) {
    problem(p.url, 'no <article> in the page');
    continue;
  }

  // One visible H1: Fumadocs renders the frontmatter title; a body `# Title` is a second one.
  const h1s = byTag(art, 'h1');
  if (h1s.length !== 1) {
    problem(p.url, `article has ${h1s.length} <h1> (want exactly 1): ${h1s.map((h) => JSON.stringify(text(h).trim())).join(', ')}`);
  }

  // Tables: each row has as many cells as the header row.
  byTag(art, 'table').forEach((table, ti) => {
    tableCount++;
    if (p.generated && !firstTablePage) firstTablePage = p.url;
    const rows = byTag(table, 'tr');
    if (rows.length === 0) {
      problem(p.url, `table ${ti + 1}: no rows`);
      return;
    }
    const cells = (tr) => (tr.childNodes ?? []).filter((c) => c.tagName === 'td' || c.tagName === 'th').length;
    const want = cells(rows[0]);
    rows.forEach((tr, ri) => {
      const n = cells(tr);
      if (n !== want) problem(p.url, `table ${ti + 1}, row ${ri + 1}: ${n} cells, header row has ${want}: ${JSON.stringify(text(tr).trim().slice(0, 80))}`);
    });
  });

  // Links in the article.
  for (const a of byTag(art, 'a')) {
    const href = attr(a, 'href');
    if (href === undefined || href === '') continue;
    let target;
    try {
      target = new URL(href, origin + p.url);
    } catch {
      problem(p.url, `unparsable href ${JSON.stringify(href)}`);
      continue;
    }
    if (target.origin !== origin) {
      if (!external.has(href)) external.set(href, p.url);
      continue;
    }
    if (!(target.pathname === DOCS || target.pathname.startsWith(`${DOCS}/`))) {
      problem(p.url, `link ${JSON.stringify(href)} leaves /docs (${target.pathname})`);
      continue;
    }
    linkCount++;
    const t = await get(target.pathname);
    if (t.status !== 200) {
      problem(p.url, `link ${JSON.stringify(href)} -> ${target.pathname} answers ${t.status}`);
      continue;
    }
    if (target.hash.length > 1) {
      fragmentCount++;
      let id = target.hash.slice(1);
      try {
        id = decodeURIComponent(id);
      } catch {
        problem(p.url, `link ${JSON.stringify(href)}: fragment is not valid percent-encoding`);
        continue;
      }
      if (!t.ids.has(id)) problem(p.url, `link ${JSON.stringify(href)}: ${target.pathname} has no element with id ${JSON.stringify(id)}`);
    }
  }
}

// The sidebar must list every page (the union over all pages: a collapsed folder
// may leave its children out of the HTML).
for (const p of pages) if (!sidebarLinks.has(p.url)) problem(p.url, `not in the sidebar (check the folder's meta.json pages) (${p.file})`);

if (tablePageOut) writeFileSync(tablePageOut, firstTablePage ? `${firstTablePage}\n` : '');

if (external.size > 0) {
  console.log(`links to other origins (not fetched): ${external.size}`);
  for (const [href, page] of external) console.log(`  ${page}: ${href}`);
}
console.log(`source tables (markdown rows, as remark-gfm parses them): ${sourceTableCount} checked`);
for (const { page, what } of problems) console.log(`problem: ${page}: ${what}`);
console.log(
  `site crawl: ${pages.length} pages, ${linkCount} links, ${fragmentCount} fragments, ${tableCount} tables checked; ${problems.length} problems`,
);
process.exit(problems.length > 0 ? 1 : 0);
