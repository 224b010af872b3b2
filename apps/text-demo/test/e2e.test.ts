/**
 * The names page in a real browser: Debian's Chromium driven by playwright-core (no downloaded
 * browser), the built page (dist/web) served on localhost with COOP/COEP. Trains a few steps on js
 * and on wasm, switches js → wasm mid-training, generates names, saves to IndexedDB and loads back
 * after a reload, and fits a 390-px screen.
 *
 * WebGPU: Chromium is started with its SwiftShader adapter, so the page really starts the webgpu
 * backend and lists it. Training on it is opt-in (TEXT_DEMO_E2E_WEBGPU=1): on SwiftShader a step of
 * the default GPT takes about 8 s, and 6 steps with the validation and samples took 92 s.
 * Screenshots go to apps/text-demo/screenshots/ (gitignored).
 *
 * Without /usr/bin/chromium the tests skip with the reason, except under CI where they fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNames } from '../src/cli/corpus.ts';
import { serveDirectory } from './web-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const APP = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(APP, 'dist/web');
const SHOTS = join(APP, 'screenshots');
/** WebGPU on Chromium's SwiftShader adapter (no --disable-gpu, which turns WebGPU off), as in backend-webgpu's browser test. */
const ARGS = [
  '--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader', '--disable-gpu-sandbox',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

interface DemoState {
  backends: { name: string; available: boolean; reason?: string }[];
  namesCount: number;
  steps: number;
  losses: number[];
  valLosses: { step: number; loss: number }[];
  baseline: number;
  switches: { step: number; from: string; to: string }[];
  names: { name: string; novel: boolean }[];
  errors: string[];
}

const demo = (page: Page): Promise<DemoState> => page.evaluate(() => (window as unknown as { textDemo: DemoState }).textDemo);
const waitState = (page: Page, states: string[], timeout = 60_000): Promise<unknown> =>
  page.waitForFunction((s) => s.includes(document.getElementById('app')?.dataset.state ?? ''), states, { timeout, polling: 100 });

/** Builds the page and the CLI when no build is there (turbo builds first under `pnpm test`). */
function ensureBuilt(): void {
  const bin = (pkg: string, path: string): string => join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), path);
  if (!existsSync(join(APP, 'dist/node/cli/main.js'))) execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: APP, stdio: 'inherit' });
  if (existsSync(join(WEB, 'index.html'))) return;
  execFileSync(process.execPath, [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: APP, stdio: 'inherit' });
}

async function trainSteps(page: Page, steps: number, timeout: number): Promise<DemoState> {
  await page.fill('#steps', String(steps));
  await page.click('#train');
  await waitState(page, ['done'], timeout);
  return demo(page);
}

describe('the names page in Chromium', () => {
  if (!existsSync(CHROMIUM)) {
    const why = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
    if (process.env.CI) it('needs Chromium under CI', () => expect.fail(`${why}; CI is set, so this fails instead of skipping`));
    else it.skip(`skipped: ${why}`, () => undefined);
    return;
  }

  let server: Server;
  let base = '';
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'text-demo-chromium-'));
  let available: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    ({ server, url: base } = await serveDirectory(WEB));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 1000 }, args: ARGS, acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(base);
    await waitState(page, ['ready'], 60_000);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    rmSync(profile, { recursive: true, force: true });
  });

  it('bundles the same names list as the CLI and lists every registered backend', async () => {
    const s = await demo(page);
    expect(s.namesCount).toBe(loadNames().length);
    await expect(page.textContent('#data-status')).resolves.toContain(`${loadNames().length.toLocaleString('en-US')} distinct English first names`);
    expect(s.backends.map((b) => b.name)).toEqual(expect.arrayContaining(['js', 'wasm', 'webgpu']));
    for (const b of s.backends) await expect(page.locator(`#backend-${b.name}`).isDisabled()).resolves.toBe(!b.available);
    available = s.backends.filter((b) => b.available).map((b) => b.name);
    expect(available).toEqual(expect.arrayContaining(['js', 'wasm']));
    console.log(`backends in Chromium: ${s.backends.map((b) => `${b.name} ${b.available ? 'available' : `unavailable (${b.reason ?? '?'})`}`).join('; ')}`);
    expect(await page.getAttribute('#app', 'data-backend')).toBe('wasm');
  });

  it('refuses a bad model size with a message naming the field', async () => {
    await page.fill('#width', '66');
    await page.fill('#lr', '0');
    await page.click('#train');
    const message = (await page.textContent('#train-error')) ?? '';
    expect(message).toContain("learning rate must be a number above 0 and at most 1; got '0'");
    expect(message).toContain('width must be divisible by heads (4); got 66');
    expect(await page.getAttribute('#width', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#app', 'data-state')).toBe('ready');
    await page.fill('#width', '64');
    await page.fill('#lr', '0.003');
  });

  it('trains a few steps on each available backend, reporting a finite, falling loss', { timeout: process.env.TEXT_DEMO_E2E_WEBGPU === '1' ? 400_000 : 120_000 }, async () => {
    const trainOn = available.filter((name) => name !== 'webgpu' || process.env.TEXT_DEMO_E2E_WEBGPU === '1');
    if (trainOn.length < available.length) console.log('webgpu is available but not trained on: set TEXT_DEMO_E2E_WEBGPU=1 (about 8 s a step on SwiftShader)');
    for (const name of trainOn) {
      await page.check(`#backend-${name}`);
      await page.waitForFunction((n) => document.getElementById('app')?.dataset.backend === n, name);
      const steps = name === 'wasm' ? 60 : name === 'js' ? 8 : 4;
      const s = await trainSteps(page, steps, name === 'webgpu' ? 300_000 : 60_000);
      expect(s.steps, name).toBe(steps);
      expect(s.losses.every(Number.isFinite), name).toBe(true);
      const head = s.losses.slice(0, 3).reduce((a, b) => a + b) / 3;
      const tail = s.losses.slice(-3).reduce((a, b) => a + b) / 3;
      expect(tail, `${name}: loss ${head.toFixed(3)} → ${tail.toFixed(3)}`).toBeLessThan(head);
      expect(s.valLosses.at(-1)!.loss).toBeGreaterThan(0);
      await expect(page.textContent('#status')).resolves.toMatch(new RegExp(`done after ${steps} steps in [\\d.]+ s on ${name} · validation loss \\d\\.\\d{3}`));
      console.log(`${name}: ${steps} steps, loss ${head.toFixed(3)} → ${tail.toFixed(3)}, ${await page.textContent('#status')}`);
    }
    await expect(page.locator('#live-samples li').count()).resolves.toBeGreaterThan(0);
  });

  it('switches backend in the middle of training and goes on', async () => {
    // Starts on js (slow, so the switch surely lands before the end) and moves to wasm a few steps in.
    await page.check('#backend-js');
    await page.waitForFunction(() => document.getElementById('app')?.dataset.backend === 'js');
    await page.fill('#steps', '40');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.getElementById('app')?.dataset.steps ?? 0) >= 3, undefined, { timeout: 30_000 });
    await page.check('#backend-wasm');
    await waitState(page, ['done'], 60_000);
    const s = await demo(page);
    expect(s.steps).toBe(40);
    expect(s.switches).toHaveLength(1);
    expect(s.switches[0]).toMatchObject({ from: 'js', to: 'wasm' });
    expect(s.switches[0]!.step).toBeGreaterThanOrEqual(3);
    expect(s.switches[0]!.step).toBeLessThan(40);
    expect(s.losses.every(Number.isFinite)).toBe(true);
    expect(s.losses.slice(-3).reduce((a, b) => a + b) / 3).toBeLessThan(s.losses.slice(0, 3).reduce((a, b) => a + b) / 3);
    expect(await page.getAttribute('#app', 'data-backend')).toBe('wasm');
    await expect(page.textContent('#status')).resolves.toMatch(/^done after 40 steps in [\d.]+ s on wasm/);
    await page.screenshot({ path: join(SHOTS, 'switch.png'), fullPage: true });
  });

  it('generates ten names from a prompt, marking the invented ones; refuses an unknown letter', async () => {
    await page.fill('#prompt', 'Ma');
    await page.fill('#seed', '7');
    await page.click('#generate');
    await page.waitForFunction(() => document.getElementById('names')?.dataset.ready === 'yes');
    const s = await demo(page);
    expect(s.names).toHaveLength(10);
    const list = new Set(loadNames());
    for (const n of s.names) {
      expect(n.name.startsWith('ma')).toBe(true);
      expect(n.novel).toBe(!list.has(n.name));
    }
    await expect(page.locator('#names li').count()).resolves.toBe(10);
    await expect(page.locator('#names li.novel').count()).resolves.toBe(s.names.filter((n) => n.novel).length);
    expect(await page.inputValue('#seed')).toBe('8');
    console.log(`names: ${s.names.map((n) => `${n.name}${n.novel ? '*' : ''}`).join(', ')}`);
    await page.fill('#prompt', 'x9');
    await page.click('#generate');
    await expect(page.textContent('#generate-error')).resolves.toMatch(/the model knows no '9'/);
    await page.fill('#prompt', 'ma');
  });

  it('saves to IndexedDB, reloads, loads it back and draws the same names', async () => {
    await page.fill('#seed', '3');
    await page.click('#generate');
    await page.waitForFunction(() => document.getElementById('names')?.dataset.ready === 'yes');
    const before = (await demo(page)).names;
    expect(before).toHaveLength(10);
    await page.click('#save-idb');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent === 'Saved in this browser.');
    await page.reload();
    await waitState(page, ['ready'], 60_000);
    await page.waitForFunction(() => !(document.getElementById('load-idb') as HTMLButtonElement).disabled);
    await page.click('#load-idb');
    await waitState(page, ['loaded'], 30_000);
    await page.fill('#prompt', 'ma');
    await page.fill('#seed', '3');
    await page.click('#generate');
    await page.waitForFunction(() => document.getElementById('names')?.dataset.ready === 'yes');
    expect((await demo(page)).names).toEqual(before);
    expect((await demo(page)).errors).toEqual([]);
  });

  it('downloads the model; the file loads back in the page and in the CLI', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-download')]);
    expect(download.suggestedFilename()).toBe('text-demo-names.safetensors');
    const file = join(profile, 'names.safetensors');
    await download.saveAs(file);
    await page.setInputFiles('#load-file', file);
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent === 'Loaded names.safetensors.');
    await page.fill('#prompt', 'ma');
    await page.fill('#seed', '3');
    await page.click('#generate');
    await page.waitForFunction(() => document.getElementById('names')?.dataset.ready === 'yes');
    const inPage = (await demo(page)).names;
    expect(inPage.every((n) => n.name.startsWith('ma'))).toBe(true);
    const cli = execFileSync(process.execPath, [join(APP, 'dist/node/cli/main.js'), '--backend', 'js', '--load', file, '--samples', '3', '--prompt', 'ma'], { encoding: 'utf8' });
    expect(cli).toMatch(/loaded GPT \([\d,]+ parameters\)/);
    expect(cli.split('\n').filter((line) => line.startsWith('  ma'))).toHaveLength(3);
  });

  it('trains the LSTM too, stops when asked, and generates with it', async () => {
    await page.selectOption('#model', 'lstm');
    await page.fill('#steps', '1000');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.getElementById('app')?.dataset.steps ?? 0) >= 3, undefined, { timeout: 30_000 });
    await page.click('#stop');
    await waitState(page, ['stopped'], 30_000);
    const s = await demo(page);
    expect(s.steps).toBeGreaterThanOrEqual(3);
    expect(s.steps).toBeLessThan(1000);
    await expect(page.textContent('#status')).resolves.toMatch(new RegExp(`^stopped after ${s.steps} steps`));
    await expect(page.textContent('#model-status')).resolves.toMatch(/^Trained a LSTMLanguageModel of [\d,]+ parameters\.$/);
    await page.fill('#prompt', '');
    await page.click('#generate');
    await page.waitForFunction(() => document.getElementById('names')?.dataset.ready === 'yes');
    expect((await demo(page)).names).toHaveLength(10);
    await page.selectOption('#model', 'gpt');
  });

  it('fits a 390-px-wide phone screen without sideways scrolling', async () => {
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(base);
      await phone.waitForFunction(() => document.getElementById('app')?.dataset.state === 'ready');
      const m = await phone.evaluate(() => {
        const chart = document.getElementById('loss-chart')!.getBoundingClientRect();
        const panel = document.getElementById('train-panel')!.getBoundingClientRect();
        return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, chart: chart.right, panel: panel.right };
      });
      expect(m.scroll).toBeLessThanOrEqual(m.client);
      expect(m.chart).toBeLessThanOrEqual(m.panel + 0.5);
      await phone.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
    expect(errors).toEqual([]);
  });
});
