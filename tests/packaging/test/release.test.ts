/**
 * Releases: `changeset version` on a temporary copy of the repository turns the pending changesets into
 * coherent versions and CHANGELOG.md files (nothing is written to this checkout), and the `release`
 * script's dry-run publish succeeds for exactly the public packages.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PACKAGES, ROOT, run } from './helpers.js';

let tmp = '';
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Manifest { name: string; version: string; peerDependencies?: Record<string, string> }
const manifest = (root: string, pkg: string): Manifest => JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as Manifest;
const parse = (v: string): number[] => v.split('.').map(Number);
const cmp = (a: string, b: string): number => {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
};
/** Whether `version` satisfies a range of the form `>=a <b` (the form the internal peer ranges use). */
function satisfies(version: string, range: string): boolean {
  const m = /^(?:workspace:)?>=(\d+\.\d+\.\d+) <(\d+\.\d+\.\d+)$/.exec(range);
  if (!m) throw new Error(`unexpected internal range '${range}'`);
  return cmp(version, m[1]!) >= 0 && cmp(version, m[2]!) < 0;
}

it('changeset version produces coherent versions and changelogs (on a temporary copy)', async () => {
  const pending = readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  tmp = mkdtempSync(join(tmpdir(), 'scratchnet-changeset-'));
  const files = (await run('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT })).trim().split('\n');
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue;
    mkdirSync(dirname(join(tmp, f)), { recursive: true });
    cpSync(join(ROOT, f), join(tmp, f));
  }
  await run('git', ['init', '-q'], { cwd: tmp });
  await run('git', ['add', '-A'], { cwd: tmp });
  await run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'snapshot'], { cwd: tmp });
  await run(join(ROOT, 'node_modules/.bin/changeset'), ['version'], { cwd: tmp });

  const before = Object.fromEntries(PACKAGES.map((p) => [p, manifest(ROOT, p).version]));
  const after = Object.fromEntries(PACKAGES.map((p) => [p, manifest(tmp, p)]));
  console.log(`changeset version (dry): ${PACKAGES.map((p) => `${p} ${before[p]} → ${after[p]!.version}`).join(', ')}`);
  expect(readdirSync(join(tmp, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
  for (const p of PACKAGES) {
    const next = after[p]!;
    if (pending.length) expect(cmp(next.version, before[p]!), `${p} is bumped`).toBeGreaterThan(0);
    // Still 0.x: a peer dependency's minor release must not force its dependents to 1.0.0.
    expect(parse(next.version)[0]).toBe(parse(before[p]!)[0]);
    const changelog = readFileSync(join(tmp, 'packages', p, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${next.version}`);
    const core = next.peerDependencies?.['@scratchnet/core'];
    if (p !== 'core') expect(satisfies(after.core!.version, core!), `${p} peer range ${core} admits core ${after.core!.version}`).toBe(true);
  }
});

it('the release script publishes exactly the public packages (dry run)', async () => {
  const out = await run('pnpm', ['run', 'release'], { cwd: ROOT });
  for (const p of PACKAGES) expect(out).toContain(`@scratchnet/${p}@`);
  expect(out).not.toMatch(/packaging-tests|@scratchnet\/hardening|mnist-demo/);
});
