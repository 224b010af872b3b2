#!/usr/bin/env node
// Bundle size: Vite builds small entry apps (fixtures/size) against the built packages, minified as a
// production build, and reports gzipped sizes (level 9) — JavaScript and .wasm separately — against
// size-budget.json at the repository root. Exits 1 when a size is over its budget.
//   node tests/packaging/size.mjs          the table
//   node tests/packaging/size.mjs --json   the measurements and budget as JSON
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const budgetFile = fileURLToPath(new URL('../../size-budget.json', import.meta.url));
const ENTRIES = {
  'core + backend-js': 'core-js.js',
  'core + backend-wasm': 'core-wasm.js',
  'core + layers': 'core-layers.js',
};

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function measure(entry) {
  const out = mkdtempSync(join(tmpdir(), 'scratchnet-size-'));
  try {
    await build({
      root: join(here, 'fixtures/size'), configFile: false, logLevel: 'silent',
      build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: true, modulePreload: false, rollupOptions: { input: join(here, 'fixtures/size', entry) } },
    });
    const files = readdirSync(join(out, 'assets')).map((f) => ({ f, bytes: readFileSync(join(out, 'assets', f)) }));
    const js = files.filter((x) => x.f.endsWith('.js'));
    const wasm = files.filter((x) => x.f.endsWith('.wasm'));
    const result = {
      js: js.reduce((s, x) => s + gz(x.bytes), 0),
      jsMinified: js.reduce((s, x) => s + x.bytes.length, 0),
    };
    if (wasm.length) {
      // A page loads one build (the best the browser supports); all of them are emitted.
      result.wasm = Math.max(...wasm.map((x) => gz(x.bytes)));
      result.wasmAllBuilds = wasm.reduce((s, x) => s + gz(x.bytes), 0);
    }
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const budget = JSON.parse(readFileSync(budgetFile, 'utf8'));
const sizes = {};
for (const [name, entry] of Object.entries(ENTRIES)) sizes[name] = await measure(entry);

const over = [];
for (const [name, s] of Object.entries(sizes)) {
  for (const [key, value] of Object.entries(s)) {
    const limit = budget[name]?.[key];
    if (limit !== undefined && value > limit) over.push(`${name} ${key}: ${value} B gzip > budget ${limit} B`);
  }
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ sizes, budget, over }));
} else {
  const kb = (n) => (n === undefined ? '—' : `${(n / 1024).toFixed(1)} KB`);
  const rows = [['bundle', 'JS min', 'JS min+gz', 'budget', '.wasm gz (one build)', 'budget', '.wasm gz (all 6)']];
  for (const [name, s] of Object.entries(sizes)) {
    rows.push([name, kb(s.jsMinified), kb(s.js), kb(budget[name]?.js), kb(s.wasm), kb(budget[name]?.wasm), kb(s.wasmAllBuilds)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
  for (const o of over) console.error(`over budget: ${o}`);
}
process.exitCode = over.length ? 1 : 0;
