#!/usr/bin/env node
/**
 * Rewrites the op coverage table of packages/core/README.md (between `<!-- coverage:start -->` and
 * `<!-- coverage:end -->`) from the conformance suite's JSON report.
 *
 *   node scripts/coverage-table.mjs [report.json]
 *
 * The report path defaults to $SCRATCHNET_CONFORMANCE_REPORT, else coverage/conformance.json. When
 * the report does not exist yet, the backends' conformance tests are run once to produce it (each
 * backend's `runConformanceSuite` merges its results into the file under its own name).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = resolve(root, 'packages/core/README.md');
const START = '<!-- coverage:start -->';
const END = '<!-- coverage:end -->';

const reportPath = resolve(process.argv[2] ?? process.env.SCRATCHNET_CONFORMANCE_REPORT ?? resolve(root, 'coverage/conformance.json'));

if (!existsSync(reportPath)) {
  mkdirSync(dirname(reportPath), { recursive: true });
  console.log(`coverage-table: no report at ${reportPath}; running the conformance tests to produce it`);
  // Failing cases are recorded in the report, so the exit status of the run is not fatal here.
  spawnSync('pnpm', ['exec', 'vitest', 'run', 'conformance'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SCRATCHNET_CONFORMANCE_REPORT: reportPath },
  });
  if (!existsSync(reportPath)) {
    console.error('coverage-table: the conformance run wrote no report (did the backends build?)');
    process.exit(1);
  }
}

/** @type {{ version: number; backends: Record<string, { updated: string; ops: Record<string, { passed: number; failed: number; skipped: number; failedCases: string[] }> }> }} */
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const backends = Object.keys(report.backends ?? {}).sort();
if (backends.length === 0) {
  console.error(`coverage-table: ${reportPath} holds no backend results`);
  process.exit(1);
}

// Ops in the order the suite lists them (first backend's order), then any op only another backend reported.
const ops = [];
for (const b of backends) for (const op of Object.keys(report.backends[b].ops)) if (!ops.includes(op)) ops.push(op);

function mark(result) {
  if (!result || result.passed + result.failed === 0) return '–';
  return result.failed === 0 ? '✓' : `✗ (${result.failed} failing)`;
}

const lines = [
  `| op | ${backends.join(' | ')} | cases |`,
  `|---|${backends.map(() => ':---:').join('|')}|---:|`,
];
for (const op of ops) {
  const results = backends.map((b) => report.backends[b].ops[op]);
  const cases = Math.max(0, ...results.map((r) => (r ? r.passed + r.failed + r.skipped : 0)));
  lines.push(`| \`${op}\` | ${results.map(mark).join(' | ')} | ${cases} |`);
}
const totals = backends.map((b) => {
  const rs = Object.values(report.backends[b].ops);
  const passed = rs.reduce((s, r) => s + r.passed, 0);
  const failed = rs.reduce((s, r) => s + r.failed, 0);
  return `\`${b}\`: ${passed} passed, ${failed} failed (${report.backends[b].updated.slice(0, 10)})`;
});
lines.push('', `✓ every case passes · ✗ some fail · – not run. Cases include gradient checks. ${totals.join('; ')}.`);

const block = `${START}\n${lines.join('\n')}\n${END}`;
let readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
const s = readme.indexOf(START);
const e = readme.indexOf(END);
if (s >= 0 && e > s) {
  readme = readme.slice(0, s) + block + readme.slice(e + END.length);
} else {
  readme = `${readme}${readme === '' || readme.endsWith('\n') ? '' : '\n'}\n${block}\n`;
}
writeFileSync(readmePath, readme);
console.log(`coverage-table: ${ops.length} ops × ${backends.length} backend(s) written to ${readmePath}`);
