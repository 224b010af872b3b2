/**
 * The packages as a user meets them: every package is packed with `pnpm pack`, the tarballs are
 * installed with plain npm into a fresh project in the system temp directory (no workspace links),
 * and then
 *   (a) a Node ESM script trains a tiny model on each backend (js, wasm, and webgpu where an adapter
 *       exists) and moves a model from one backend to another mid-training; each README's example
 *       runs as written;
 *   (b) tsc (TypeScript 6, and 5.9 whose DOM library has no WebGPU types) type-checks a strict
 *       TypeScript consumer (and the README examples) against the published declarations, without
 *       skipLibCheck; no published file may name a source map the tarball lacks;
 *   (c) Vite builds an app importing core + backend-wasm + layers with no configuration and no warning
 *       (no Node-only module in the browser graph), and Debian's Chromium (driven by playwright-core)
 *       runs it: the .wasm file must be found and training works.
 * The browser part skips when /usr/bin/chromium is missing, except under CI where it fails.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, PACKAGES, ROOT, inCi, run, serve } from './helpers.js';

const here = join(ROOT, 'tests/packaging');
const started = Date.now();
let tmp = '';
let app = '';
const tarballs = new Map<string, string>();

function readmeExample(pkg: string): string {
  const readme = readFileSync(join(app, 'node_modules/@scratchnet', pkg, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error(`${pkg}: README has no ts example`);
  return block[1]!;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scratchnet-packaging-'));
  const packDir = join(tmp, 'tarballs');
  mkdirSync(packDir);
  for (const pkg of PACKAGES) {
    await run('pnpm', ['pack', '--pack-destination', packDir], { cwd: join(ROOT, 'packages', pkg) });
    const name = readdirSync(packDir).find((f) => f.startsWith(`scratchnet-${pkg}-`) && f.endsWith('.tgz'));
    if (!name) throw new Error(`pnpm pack wrote no tarball for ${pkg}`);
    tarballs.set(pkg, join(packDir, name));
  }

  app = join(tmp, 'app');
  mkdirSync(app);
  const dependencies = Object.fromEntries(PACKAGES.map((p) => [`@scratchnet/${p}`, `file:${tarballs.get(p)!}`]));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    env: { npm_config_cache: join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' },
  });
  // Dawn for Node (the optional peer `webgpu`) is a 130 MB native package: link the copy this repository
  // already has instead of downloading it on every run. It is a third-party package, not a workspace link.
  const dawn = join(here, 'node_modules/webgpu');
  if (existsSync(dawn)) symlinkSync(realpathSync(dawn), join(app, 'node_modules/webgpu'), 'dir');

  for (const f of ['train.mjs', 'consumer.ts']) cpSync(join(here, 'fixtures', f), join(app, f));
  cpSync(join(here, 'fixtures/web'), join(app, 'web'), { recursive: true });
  for (const pkg of PACKAGES) writeFileSync(join(app, `readme-${pkg}.ts`), readmeExample(pkg));
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  console.log(`packaging test: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
});

describe('packed tarballs', () => {
  it('hold only compiled JavaScript, declarations, .wasm, README, LICENSE and package.json, with no workspace specifiers', async () => {
    for (const [pkg, tgz] of tarballs) {
      const files = (await run('tar', ['-tzf', tgz], { cwd: tmp })).trim().split('\n').map((f) => f.replace(/^package\//, ''));
      const stray = files.filter((f) => !/^(dist\/.+\.(js|d\.ts)|wasm\/[a-z-]+\.wasm|README\.md|LICENSE|package\.json)$/.test(f) || /\.test\./.test(f));
      expect(stray, `${pkg}: unexpected files`).toEqual([]);
      expect(files, `${pkg}: the license text travels with the package`).toContain('LICENSE');
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/index.d.ts');
      for (const f of files.filter((name) => /\.(js|d\.ts)$/.test(name))) {
        const text = readFileSync(join(app, 'node_modules/@scratchnet', pkg, f), 'utf8');
        expect(text, `${pkg}/${f} points to a source map the package does not ship`).not.toMatch(/sourceMappingURL=/);
      }
      if (pkg === 'backend-wasm') expect(files.filter((f) => f.endsWith('.wasm')).length).toBe(6);
      const manifest = readFileSync(join(app, 'node_modules/@scratchnet', pkg, 'package.json'), 'utf8');
      expect(manifest, `${pkg}: workspace: specifier left in the published package.json`).not.toMatch(/workspace:/);
      const json = JSON.parse(manifest) as { peerDependencies?: Record<string, string>; engines?: Record<string, string>; repository?: unknown; license?: string; sideEffects?: unknown };
      expect(json.engines?.node).toBe('>=20');
      expect(json.license).toBe('MIT');
      expect(json.repository).toBeDefined();
      expect(Array.isArray(json.sideEffects)).toBe(true);
      if (pkg !== 'core') expect(json.peerDependencies?.['@scratchnet/core']).toMatch(/^>=0\.1\.0 <1\.0\.0$/);
    }
  });

  it('are installed by npm as real directories, not links into the workspace', () => {
    for (const pkg of PACKAGES) {
      const dir = join(app, 'node_modules/@scratchnet', pkg);
      expect(lstatSync(dir).isSymbolicLink(), `${pkg} is a link`).toBe(false);
      expect(realpathSync(dir).startsWith(ROOT)).toBe(false);
    }
  });
});

describe('(a) Node: a user script', () => {
  it('trains on each backend and switches backend mid-training', async () => {
    const out = await run('node', ['train.mjs', ...(await webgpuFlag())], { cwd: app });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      backends: Record<string, { active: string; first: number; last: number; accuracy: number }>;
      switched: { to: string; paramBackend: string; lossBefore: number; lossAfter: number };
    };
    console.log(`packaging (a): ${Object.entries(r.backends).map(([n, b]) => `${n} loss ${b.first.toFixed(3)} → ${b.last.toFixed(3)}, accuracy ${b.accuracy}`).join('; ')}`);
    for (const [name, b] of Object.entries(r.backends)) {
      expect(b.active).toBe(name);
      expect(b.last).toBeLessThan(b.first);
      expect(b.accuracy).toBeGreaterThan(0.85);
    }
    expect(Object.keys(r.backends)).toEqual(expect.arrayContaining(['js', 'wasm']));
    if (inCi) expect(Object.keys(r.backends)).toContain('webgpu');
    expect(r.switched.to).toBe('wasm');
    expect(r.switched.paramBackend).toBe('wasm');
    expect(r.switched.lossAfter).toBeLessThan(r.switched.lossBefore);
  });
});

let gpu: boolean | undefined;
/** Whether Dawn finds an adapter here, asked in a child process of the installed app. */
async function webgpuFlag(): Promise<string[]> {
  if (gpu === undefined) {
    const probe = "const m = await import('@scratchnet/backend-webgpu'); console.log(await m.isAvailable() ? 'yes' : await m.unavailableReason());";
    const answer = (await run('node', ['--input-type=module', '-e', probe], { cwd: app })).trim();
    gpu = answer === 'yes';
    if (!gpu) console.warn(`packaging (a): no WebGPU adapter, training on js and wasm only: ${answer}`);
  }
  return gpu ? ['--webgpu'] : [];
}

describe('(b) TypeScript: the published declarations', () => {
  it('type-check a strict consumer and every README example (TypeScript 6 and 5.9, no skipLibCheck); the examples then run as written', async () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM', 'ESNext.Disposable'], types: [],
        strict: true, skipLibCheck: false, outDir: 'out', rootDir: '.',
      },
      include: ['consumer.ts', 'readme-*.ts'],
    }));
    // TypeScript 5.x has no WebGPU types in its DOM library: the declarations must not need them.
    const tsc5 = join(here, 'node_modules/typescript5/bin/tsc');
    expect((JSON.parse(readFileSync(join(here, 'node_modules/typescript5/package.json'), 'utf8')) as { version: string }).version).toMatch(/^5\./);
    await run('node', [tsc5, '-p', 'tsconfig.json', '--noEmit'], { cwd: app });
    const tsc = join(here, 'node_modules/typescript/bin/tsc');
    await run('node', [tsc, '-p', 'tsconfig.json'], { cwd: app });
    const withGpu = (await webgpuFlag()).length > 0;
    for (const pkg of PACKAGES) {
      if (pkg === 'backend-webgpu' && !withGpu) continue;
      await run('node', [join('out', `readme-${pkg}.js`)], { cwd: app, timeout: 120_000 });
    }
  });
});

describe('(c) browser: a Vite app from the tarballs', () => {
  const haveChromium = existsSync(CHROMIUM);
  const runOrSkip = haveChromium || inCi ? it : it.skip;
  runOrSkip(`builds with no configuration and no warning, and runs in Chromium, loading the .wasm${haveChromium ? '' : ' (skipped: no /usr/bin/chromium)'}`, async () => {
    const outDir = join(app, 'web-dist');
    const warnings: string[] = [];
    const logger = createLogger('warn');
    const customLogger = { ...logger, warn: (msg: string) => warnings.push(msg), warnOnce: (msg: string) => warnings.push(msg), error: (msg: string) => warnings.push(msg) };
    await build({ root: join(app, 'web'), configFile: false, customLogger, build: { outDir, emptyOutDir: true, target: 'es2022' } });
    expect(warnings, 'Vite warned while bundling the packages (Node-only code in the browser graph?)').toEqual([]);
    expect(readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.wasm')).length).toBeGreaterThan(0);

    const server = await serve(outDir);
    // A fresh profile directory for this run (launchPersistentContext passes it as --user-data-dir).
    const browser = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const wasmLoads: { url: string; status: number; type: string | undefined }[] = [];
      page.on('response', (res) => {
        if (res.url().endsWith('.wasm')) wasmLoads.push({ url: res.url(), status: res.status(), type: res.headers()['content-type'] });
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 120_000 });
      const result = await page.evaluate(() => (window as unknown as { __result: { backend?: string; info?: { isa: string }; first?: number; last?: number; error?: string } }).__result);
      expect(result.error).toBeUndefined();
      expect(errors).toEqual([]);
      expect(result.backend).toBe('wasm');
      expect(wasmLoads.length).toBeGreaterThan(0);
      expect(wasmLoads.every((w) => w.status === 200 && w.type === 'application/wasm')).toBe(true);
      expect(result.last!).toBeLessThan(result.first!);
      console.log(`packaging (c): Chromium loaded ${wasmLoads.map((w) => w.url.split('/').pop()).join(', ')} (isa ${result.info?.isa}); loss ${result.first!.toFixed(3)} → ${result.last!.toFixed(3)}`);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
