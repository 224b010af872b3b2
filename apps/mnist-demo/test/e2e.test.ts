/**
 * The web app in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser). Serves the built app on localhost with COOP/COEP, trains a few batches on each
 * available backend, switches backend mid-training, draws a digit with mouse events, saves the
 * model (IndexedDB and a download) and loads it back after a reload, and plays with the 2-D page.
 * Screenshots go to apps/mnist-demo/screenshots/ (gitignored).
 *
 * Without /usr/bin/chromium the tests skip with the reason, except under CI where they fail.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, WEB_DIR, ensureBuilt } from './helpers.js';
import { serveStatic } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const SHOTS = join(APP_DIR, 'screenshots');

interface DemoState {
  backends: { name: string; available: boolean; reason?: string }[];
  steps: number;
  switches: { step: number; from: string; to: string }[];
  probabilities: number[] | null;
  gallery: { predicted: number[]; confidence: number[] } | null;
  errors: string[];
}

const demo = (page: Page): Promise<DemoState> => page.evaluate(() => (window as unknown as { mnistDemo: DemoState }).mnistDemo);

async function waitState(page: Page, states: string[], timeout = 60_000): Promise<void> {
  await page.waitForFunction((s) => s.includes(document.getElementById('app')?.dataset.state ?? ''), states, { timeout, polling: 100 });
}

async function trainRun(page: Page, batches: number): Promise<void> {
  await page.fill('#epochs', '1');
  await page.fill('#max-batches', String(batches));
  await page.click('#train');
  await waitState(page, ['training', 'paused', 'done'], 10_000);
}

/** Draws a 7 on the pad with mouse events. */
async function drawSeven(page: Page): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  const path: [number, number][] = [[0.28, 0.25], [0.72, 0.25], [0.58, 0.5], [0.45, 0.78]];
  await page.mouse.move(...at(...path[0]!));
  await page.mouse.down();
  for (let i = 1; i < path.length; i++) {
    const [x0, y0] = path[i - 1]!;
    const [x1, y1] = path[i]!;
    for (let k = 1; k <= 8; k++) await page.mouse.move(...at(x0 + ((x1 - x0) * k) / 8, y0 + ((y1 - y0) * k) / 8));
  }
  await page.mouse.up();
  await page.waitForFunction(() => document.getElementById('probs')?.dataset.ready === 'yes', undefined, { timeout: 10_000 });
}

describe('web app in Chromium', () => {
  if (!existsSync(CHROMIUM)) {
    const why = `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
    if (process.env.CI) it('needs Chromium under CI', () => expect.fail(`${why}; CI is set, so this fails instead of skipping`));
    else it.skip(`skipped: ${why}`, () => undefined);
    return;
  }

  let server: Server;
  let base = '';
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'mnist-demo-chromium-'));
  let available: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    ({ server, url: base } = await serveStatic(WEB_DIR));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: ARGS, acceptDownloads: true, viewport: { width: 1280, height: 1100 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('favicon') && !m.text().includes('404')) errors.push(`console: ${m.text()}`);
    });
    await page.goto(base);
    await waitState(page, ['ready'], 60_000);
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    rmSync(profile, { recursive: true, force: true });
  });

  it('lists every registered backend with its availability, and loads the 10,000 digits', async () => {
    const s = await demo(page);
    expect(s.backends.length).toBeGreaterThan(0);
    expect(s.backends.find((b) => b.name === 'js')?.available).toBe(true);
    for (const b of s.backends) {
      await expect(page.locator(`#backends li[data-backend="${b.name}"]`).count()).resolves.toBe(1);
      if (!b.available) await expect(page.locator(`#backend-${b.name}`).isDisabled()).resolves.toBe(true);
    }
    available = s.backends.filter((b) => b.available).map((b) => b.name);
    console.log(`backends in Chromium: ${s.backends.map((b) => `${b.name} ${b.available ? 'available' : `unavailable (${b.reason ?? '?'})`}`).join('; ')}`);
    await expect(page.textContent('#data-status')).resolves.toContain('8,000 training and 2,000 test digits');
  });

  it('serves a favicon, and keeps "Load from browser" disabled while nothing is saved', async () => {
    const res = await page.request.get(`${base}favicon.ico`);
    expect(res.status()).toBe(200);
    expect((await res.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    await expect(page.locator('#load-idb').isDisabled()).resolves.toBe(true);
  });

  it('refuses bad form values with a visible message instead of replacing them', async () => {
    await page.fill('#epochs', '0');
    await page.fill('#lr', '-0.1');
    await page.click('#train');
    await expect(page.locator('#form-error').isVisible()).resolves.toBe(true);
    const message = (await page.textContent('#form-error')) ?? '';
    expect(message).toContain("learning rate must be a number above 0 and at most 10; got '-0.1'");
    expect(message).toContain("epochs must be a whole number from 1 to 50; got '0'");
    await expect(page.getAttribute('#epochs', 'aria-invalid')).resolves.toBe('true');
    expect(await page.getAttribute('#app', 'data-state')).toBe('ready');
    expect((await demo(page)).steps).toBe(0);
    await page.fill('#lr', '0.003');
    await page.fill('#epochs', '1');
  });

  it('reaches the model file input with the keyboard', async () => {
    // The Clear button of the drawing pad comes just before the model card in the tab order.
    await page.focus('#clear');
    let focused = '';
    for (let i = 0; i < 8 && focused !== 'load-file'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('load-file');
  });

  it('fits a 390-px-wide phone screen: no sideways scrolling, charts inside their cards', async () => {
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      for (const path of ['', 'toy.html']) {
        await phone.goto(`${base}${path}`);
        await phone.waitForLoadState('load');
        await phone.waitForTimeout(500);
        const m = await phone.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
          charts: [...document.querySelectorAll('.charts canvas, #pad, #toy-canvas')].map((c) => {
            const r = c.getBoundingClientRect();
            const card = c.closest('.panel')!.getBoundingClientRect();
            return { id: c.id, left: r.left, right: r.right, cardLeft: card.left, cardRight: card.right };
          }),
        }));
        expect(m.scroll, `${path || 'index.html'} scrolls sideways`).toBeLessThanOrEqual(m.client);
        expect(m.charts.length).toBeGreaterThan(0);
        for (const c of m.charts) {
          expect(c.right, `${path || 'index.html'}: #${c.id} overflows its card`).toBeLessThanOrEqual(c.cardRight + 0.5);
          expect(c.left).toBeGreaterThanOrEqual(c.cardLeft - 0.5);
        }
        await phone.screenshot({ path: join(SHOTS, `phone-${path ? 'toy' : 'mnist'}.png`), fullPage: true });
      }
    } finally {
      await phone.close();
    }
  });

  it('keeps both charts inside their cards on the desktop too', async () => {
    const m = await page.evaluate(() =>
      [...document.querySelectorAll('.charts canvas')].map((c) => ({ right: c.getBoundingClientRect().right, cardRight: c.closest('.panel')!.getBoundingClientRect().right })),
    );
    expect(m).toHaveLength(2);
    for (const c of m) expect(c.right).toBeLessThanOrEqual(c.cardRight + 0.5);
  });

  it('trains a few batches on each available backend', async () => {
    for (const name of available) {
      await page.check(`#backend-${name}`);
      await page.waitForFunction((n) => document.getElementById('app')?.dataset.backend === n, name);
      await trainRun(page, 4);
      await waitState(page, ['done'], 60_000);
      const s = await demo(page);
      expect(s.steps, name).toBe(4);
      expect(await page.getAttribute('#app', 'data-backend')).toBe(name);
      expect(s.gallery?.predicted.length).toBe(48);
    }
  });

  it('switches backend in the middle of training and goes on', async (ctx) => {
    if (available.length < 2) {
      ctx.skip(`only one backend is available here (${available.join(', ')}); a switch needs two`);
      return;
    }
    const [from, to] = [available[0]!, available[1]!];
    await page.check(`#backend-${from}`);
    await trainRun(page, 30);
    // Pause a few batches in (so a fast backend cannot finish first), pick the other backend, resume.
    await page.waitForFunction(() => Number(document.getElementById('app')?.dataset.steps ?? 0) >= 3, undefined, { timeout: 60_000 });
    await page.click('#pause');
    await waitState(page, ['paused'], 30_000);
    const pausedAt = (await demo(page)).steps;
    await page.check(`#backend-${to}`);
    await page.click('#pause');
    await waitState(page, ['done'], 90_000);
    const s = await demo(page);
    expect(s.steps).toBe(30);
    expect(s.switches.length).toBe(1);
    expect(s.switches[0]).toMatchObject({ from, to });
    expect(s.switches[0]!.step).toBeGreaterThan(pausedAt);
    expect(s.switches[0]!.step).toBeLessThan(30);
    expect(await page.getAttribute('#app', 'data-backend')).toBe(to);
    await page.screenshot({ path: join(SHOTS, 'switch.png'), fullPage: true });
  });

  it('trains on, then shows live probabilities for a digit drawn with the mouse', async () => {
    await page.check(`#backend-${available[0]!}`);
    await trainRun(page, 40);
    await waitState(page, ['done'], 120_000);
    await drawSeven(page);
    const p = (await demo(page)).probabilities!;
    expect(p).toHaveLength(10);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    await expect(page.locator('#probs li').count()).resolves.toBe(10);
    await page.screenshot({ path: join(SHOTS, 'trained.png'), fullPage: true });
  });

  it('saves the model (IndexedDB and download), reloads the page, loads it back: same predictions', async () => {
    const before = await demo(page);
    await page.click('#save-idb');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.startsWith('Saved') ?? false);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-download')]);
    const file = join(profile, 'model.safetensors');
    await download.saveAs(file);

    await page.reload();
    await waitState(page, ['ready'], 60_000);
    expect((await demo(page)).gallery).toBeNull();
    await page.click('#load-idb');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.startsWith('Loaded') ?? false);
    await page.waitForFunction(() => (window as unknown as { mnistDemo: DemoState }).mnistDemo.gallery !== null);
    await drawSeven(page);
    const fromIdb = await demo(page);
    expect(fromIdb.gallery!.predicted).toEqual(before.gallery!.predicted);
    fromIdb.gallery!.confidence.forEach((c, i) => expect(c).toBeCloseTo(before.gallery!.confidence[i]!, 5));
    fromIdb.probabilities!.forEach((p, i) => expect(p).toBeCloseTo(before.probabilities![i]!, 5));

    await page.setInputFiles('#load-file', file);
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('model.safetensors') ?? false);
    const fromFile = await demo(page);
    expect(fromFile.gallery!.predicted).toEqual(before.gallery!.predicted);
    fromFile.probabilities!.forEach((p, i) => expect(p).toBeCloseTo(before.probabilities![i]!, 5));
    await page.screenshot({ path: join(SHOTS, 'reloaded.png'), fullPage: true });
    expect(fromFile.errors).toEqual([]);
  });

  it('the 2-D playground trains an MLP and draws its decision boundary', async () => {
    await page.goto(`${base}toy.html`);
    await page.waitForFunction(() => document.getElementById('toy-app')?.dataset.state === 'idle');
    await page.click('#toy-start');
    await page
      .waitForFunction(() => Number(document.getElementById('toy-app')?.dataset.steps ?? 0) >= 300, undefined, { timeout: 60_000 })
      .catch((e: unknown) => expect.fail(`${String(e)}; page errors: ${errors.join(' | ')}`));
    await page.click('#toy-pause');
    const status = (await page.textContent('#toy-status')) ?? '';
    const loss = Number(/loss ([\d.]+)/.exec(status)?.[1]);
    expect(loss).toBeLessThan(0.6);
    expect(status).toMatch(/accuracy \d+\.\d%/);
    await page.screenshot({ path: join(SHOTS, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the playground takes your own points (CSV and clicks), stops at a step count, and saves the picture', async () => {
    await page.fill('#toy-csv', 'x,y,label\n0,1.5,0');
    await page.click('#toy-use-csv');
    await expect(page.textContent('#toy-error')).resolves.toMatch(/CSV line 2 .*x and y must be numbers in \[-1, 1\]/);
    const csv = ['x,y,label', ...Array.from({ length: 20 }, (_, i) => `${(i % 2 ? 0.5 : -0.5) + 0.01 * i},${0.04 * i - 0.4},${i % 2}`)].join('\n');
    await page.fill('#toy-csv', csv);
    await page.click('#toy-use-csv');
    await expect(page.textContent('#toy-error')).resolves.toBe('');
    await expect(page.textContent('#toy-status')).resolves.toMatch(/ 20 points/);
    const box = (await page.locator('#toy-canvas').boundingBox())!;
    await page.selectOption('#toy-class', '1');
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.1);
    await expect(page.textContent('#toy-status')).resolves.toMatch(/ 21 points/);
    await page.fill('#toy-max-steps', '40');
    await page.click('#toy-start');
    await page.waitForFunction(() => document.getElementById('toy-app')?.dataset.state === 'idle' && Number(document.getElementById('toy-app')?.dataset.steps) === 40, undefined, { timeout: 60_000 });
    await expect(page.textContent('#toy-status')).resolves.toMatch(/40 steps .*accuracy \d+\.\d% .*stopped after 40 steps/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#toy-export')]);
    expect(download.suggestedFilename()).toBe('scratchnet-playground-40-steps.png');
    const png = join(profile, 'playground.png');
    await download.saveAs(png);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    await page.fill('#toy-max-steps', '');
    await page.fill('#toy-target', '0');
    await page.click('#toy-start');
    await expect(page.textContent('#toy-error')).resolves.toMatch(/stop at accuracy % must be a number above 0/);
    expect(errors).toEqual([]);
  });
});
