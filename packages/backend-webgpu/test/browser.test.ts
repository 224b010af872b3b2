/**
 * The browser path, proven in a real Chromium (Debian's, driven by playwright-core; never a downloaded
 * browser): esbuild bundles test/browser/page.ts (core + this backend + core's conformance runners),
 * a localhost server serves it, and the page runs the browser subset of the conformance suite on
 * navigator.gpu (SwiftShader). One vitest test per case reports the page's verdict.
 *
 * Without /usr/bin/chromium the test skips with the reason, except under CI where it fails.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { conformanceCases, hasGradientCheck } from '@scratchnet/core/testing';
import { browserSubset } from './browser/subset.js';

const CHROMIUM = '/usr/bin/chromium';
/** WebGPU on SwiftShader in headless Chromium (no --disable-gpu: it would turn WebGPU off). */
const ARGS = [
  '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader', '--disable-gpu-sandbox',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

interface PageResults {
  adapter: Record<string, unknown>;
  results: Record<string, string | null>;
  /** Cases the page's backend cannot run, with the reason. */
  skipped: Record<string, string>;
  fatal?: string;
}

async function bundle(): Promise<string> {
  const stub = fileURLToPath(new URL('./browser/vitest-stub.ts', import.meta.url));
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./browser/page.ts', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent',
    // Only reached in Node: core's report writer and this backend's Dawn loader import them dynamically.
    external: ['node:*', 'webgpu'],
    plugins: [{ name: 'vitest-stub', setup: (b) => b.onResolve({ filter: /^vitest$/ }, () => ({ path: stub })) }],
  });
  return result.outputFiles[0]!.text;
}

function serve(js: string): Promise<Server> {
  const html = '<!doctype html><meta charset="utf-8"><title>scratchnet webgpu</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const isJs = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const subset = browserSubset(conformanceCases, hasGradientCheck);
const haveChromium = existsSync(CHROMIUM);

describe('browser: conformance subset in Chromium (WebGPU on SwiftShader)', () => {
  if (!haveChromium) {
    const why = `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
    if (process.env.CI) it('needs Chromium under CI', () => expect.fail(`${why}; CI is set, so this fails instead of skipping`));
    else it.skip(`skipped: ${why}`, () => undefined);
    return;
  }

  let page: PageResults | null = null;
  let failure: string | null = null;
  let server: Server | null = null;
  const profile = mkdtempSync(join(tmpdir(), 'scratchnet-chromium-'));

  beforeAll(async () => {
    try {
      server = await serve(await bundle());
      const { port } = server.address() as AddressInfo;
      const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
      try {
        const tab = context.pages()[0] ?? (await context.newPage());
        const errors: string[] = [];
        tab.on('pageerror', (e) => errors.push(e.message));
        await tab.goto(`http://127.0.0.1:${port}/`);
        await tab.waitForFunction(() => (window as unknown as { __results?: unknown }).__results !== undefined, undefined, { timeout: 240_000, polling: 250 });
        page = await tab.evaluate(() => (window as unknown as { __results: PageResults }).__results);
        if (errors.length) failure = `page errors: ${errors.join('; ')}`;
      } finally {
        await context.close();
      }
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
  }, 300_000);

  afterAll(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    rmSync(profile, { recursive: true, force: true });
  });

  it('the page selected the webgpu backend on navigator.gpu', () => {
    expect(failure).toBeNull();
    expect(page?.fatal).toBeUndefined();
    expect(page?.adapter.kind).toBe('webgpu');
    expect(page?.adapter.source).toBe('navigator.gpu');
  });

  for (const c of subset) {
    it(c.title, (ctx) => {
      if (!page) throw new Error(`the page did not run: ${failure ?? 'unknown reason'}`);
      expect(c.title in page.results, 'case ran in the page').toBe(true);
      const skipped = page.skipped[c.title];
      if (skipped !== undefined) ctx.skip(`webgpu in Chromium: ${skipped}`);
      const verdict = page.results[c.title];
      if (verdict) throw new Error(verdict);
    });
  }
});
