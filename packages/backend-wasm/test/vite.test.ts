/**
 * The browser path: Vite builds test/vite-page (a page that only imports core and this package, with
 * no plugin or option for wasm), a localhost server serves the output, and Debian's Chromium (driven by
 * playwright-core; never a downloaded browser) runs it — once cross-origin isolated (COOP + COEP:
 * shared memory, Web Workers) and once not (single-threaded, with one notice).
 *
 * Without /usr/bin/chromium the browser half skips with the reason, except under CI where it fails.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const pageDir = fileURLToPath(new URL('./vite-page', import.meta.url));
const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

interface PageResult {
  backend?: string;
  info?: { isa: string; sharedMemory: boolean; threads: number; singleThreadedReason: string | null };
  c?: number[];
  big?: number;
  warnings?: string[];
  error?: string;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

function serve(root: string, isolated: boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = join(root, (req.url ?? '/') === '/' ? 'index.html' : decodeURIComponent(req.url!.split('?')[0]!));
    if (!path.startsWith(root) || !existsSync(path)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers);
    res.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('browser: a Vite-built page uses the backend without configuration', () => {
  let out = '';

  beforeAll(async () => {
    expect(existsSync(distEntry), 'build the package first').toBe(true);
    out = mkdtempSync(join(tmpdir(), 'scratchnet-wasm-vite-'));
    await build({
      root: pageDir, logLevel: 'silent', configFile: false,
      // The page imports the package by name; inside this repository that name is the package itself.
      resolve: { alias: { '@scratchnet/backend-wasm': distEntry } },
      build: { outDir: out, emptyOutDir: true, target: 'es2022' },
    });
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('emits the six .wasm builds as assets', () => {
    const assets = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.wasm'));
    expect(assets.length).toBe(6);
  });

  const haveChromium = existsSync(CHROMIUM);
  const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  const runOrSkip = haveChromium || inCi ? it : it.skip;

  for (const isolated of [true, false]) {
    runOrSkip(`runs in Chromium ${isolated ? 'cross-origin isolated: shared memory and Web Workers' : 'without isolation: single-threaded, one notice'}${haveChromium ? '' : ' (skipped: no /usr/bin/chromium)'}`, async () => {
      const server = await serve(out, isolated);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-first-run', '--disable-background-networking'] });
      try {
        const page = await browser.newPage();
        const { port } = server.address() as AddressInfo;
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 60_000 });
        const result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
        expect(result.error).toBeUndefined();
        expect(result.backend).toBe('wasm');
        expect(result.c).toEqual([19, 22, 43, 50]);
        expect(Number.isFinite(result.big)).toBe(true);
        expect(result.info!.isa).not.toBe('scalar');
        expect(result.info!.sharedMemory).toBe(isolated);
        if (isolated) {
          expect(result.warnings).toEqual([]);
        } else {
          expect(result.info!.threads).toBe(1);
          expect(result.warnings!.filter((w) => w.includes('single-threaded')).length).toBeLessThanOrEqual(1);
          expect(result.info!.singleThreadedReason).toMatch(/SharedArrayBuffer/);
        }
      } finally {
        await browser.close();
        server.close();
      }
    }, 120_000);
  }
});
