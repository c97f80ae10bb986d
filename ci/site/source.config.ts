import { defineConfig, defineDocs } from 'fumadocs-mdx/config';

// The docs collection: content/docs/**/*.{md,mdx} pages and meta.json files.
// CI copies tiergen's generated sections into content/docs/<section>/.
export const docs = defineDocs({
  dir: 'content/docs',
});

export default defineConfig();
