/**
 * Bundle size: `pnpm size` (tests/packaging/size.mjs) builds the entry apps with Vite and compares the
 * gzipped sizes with size-budget.json; this test fails when one grows past its budget, and holds core +
 * backend-js to the 40 KB goal.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, run } from './helpers.js';

interface SizeReport {
  sizes: Record<string, { js: number; jsMinified: number; wasm?: number; wasmAllBuilds?: number }>;
  budget: Record<string, Record<string, number>>;
  over: string[];
}

it('bundles stay within size-budget.json, and core + backend-js within 40 KB gzip', async () => {
  let out: string;
  try {
    out = await run('node', [join(ROOT, 'tests/packaging/size.mjs'), '--json'], { cwd: ROOT });
  } catch (e) {
    // Over budget exits 1 after printing the report; show it.
    const text = e instanceof Error ? e.message : String(e);
    out = text.split('\n').find((l) => l.startsWith('{')) ?? text;
  }
  const report = JSON.parse(out.trim().split('\n').pop()!) as SizeReport;
  console.log(`bundle sizes (gzip): ${Object.entries(report.sizes).map(([n, s]) => `${n} ${(s.js / 1024).toFixed(1)} KB${s.wasm ? ` + .wasm ${(s.wasm / 1024).toFixed(1)} KB` : ''}`).join('; ')}`);
  expect(report.over).toEqual([]);
  for (const name of ['core + backend-js', 'core + backend-wasm', 'core + layers']) expect(report.budget[name]?.js, `${name} has a budget`).toBeGreaterThan(0);
  expect(report.sizes['core + backend-js']!.js).toBeLessThanOrEqual(40 * 1024);
  expect(report.sizes['core + backend-wasm']!.wasm).toBeGreaterThan(0);
});
