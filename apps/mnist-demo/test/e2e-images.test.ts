/**
 * "Your own images" in a real browser (Debian's Chromium via playwright-core): a folder of PNG
 * and JPEG pictures is picked, decoded by the browser, trained on, a picture is classified, and
 * models whose classes or input shape do not fit are refused in both load paths.
 *
 * Without /usr/bin/chromium the tests skip with the reason, except under CI where they fail.
 */
import type { ImagePanelState } from '../src/web/images.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, WEB_DIR, ensureBuilt } from './helpers.js';
import { writeShapeFolder } from './image-fixtures.js';
import { serveStatic } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type PanelState = ImagePanelState;

const panel = (page: Page): Promise<PanelState> => page.evaluate(() => (window as unknown as { mnistDemoImages: PanelState }).mnistDemoImages);
const mnistErrors = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { mnistDemo: { errors: string[] } }).mnistDemo.errors);

const run = (...args: string[]): void => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mnist-demo ${args.join(' ')} failed: ${r.stderr}`);
};

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('web app: your own images', () => {
  let server: Server | undefined;
  let context: BrowserContext;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'mnist-demo-web-images-'));
  const shapes = join(dir, 'shapes');

  beforeAll(async () => {
    ensureBuilt();
    writeShapeFolder(shapes, 8);
    let base = '';
    ({ server, url: base } = await serveStatic(WEB_DIR));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 1100 } });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(base);
    await page.waitForSelector('#images-panel');
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a picked folder of PNG and JPEG files as RGB, listing the skipped file', async () => {
    await page.selectOption('#images-channels', '3');
    await page.selectOption('#images-size', '32');
    await page.setInputFiles('#images-folder', shapes);
    await page.waitForFunction(() => (window as unknown as { mnistDemoImages: PanelState }).mnistDemoImages.count > 0, undefined, { timeout: 60_000 });
    const s = await panel(page);
    expect(s.classes).toEqual(['circle', 'square', 'triangle']);
    expect(s.count).toBe(24);
    expect(s.skipped).toEqual([{ path: 'shapes/circle/notes.txt', reason: 'not a PNG or JPEG file (by its name; images must end in .png, .jpg, .jpeg)' }]);
    expect(s.resized.join('; ')).toContain('64×48 → padded to 64×64, scaled to 32×32');
    await expect(page.locator('#images-status').textContent()).resolves.toContain('24 images in 3 classes (circle: 8, square: 8, triangle: 8), read as RGB 32×32');
  });

  it('trains on them and classifies a picture', async () => {
    await page.fill('#images-epochs', '2');
    await page.click('#images-train');
    await page.waitForFunction(() => {
      const s = (window as unknown as { mnistDemoImages: PanelState }).mnistDemoImages;
      return s.trainedEpochs === 2 && !s.busy;
    }, undefined, { timeout: 120_000 });
    expect((await panel(page)).testAccuracy).not.toBeNull();
    await page.setInputFiles('#images-predict', join(shapes, 'square', '2.jpg'));
    await page.waitForFunction(() => (window as unknown as { mnistDemoImages: PanelState }).mnistDemoImages.prediction !== null, undefined, { timeout: 30_000 });
    const p = (await panel(page)).prediction!;
    expect(p.file).toBe('2.jpg');
    expect(p.probabilities).toHaveLength(3);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect((await panel(page)).errors).toEqual([]);
  });

  it('refuses a model whose classes or input shape do not match, in both load paths', async () => {
    const imagesModel = join(dir, 'shapes-model.safetensors');
    const mnistModel = join(dir, 'mnist-model.safetensors');
    run('--images', shapes, '--image-size', '8', '--epochs', '1', '--model', 'mlp', '--save', imagesModel);
    run('--epochs', '1', '--max-batches', '1', '--limit', '64', '--model', 'mlp', '--save', mnistModel);
    // The MNIST loader refuses the 3-class image model...
    await page.setInputFiles('#load-file', imagesModel);
    await page.waitForFunction(() => (window as unknown as { mnistDemo: { errors: string[] } }).mnistDemo.errors.length > 0, undefined, { timeout: 30_000 });
    expect((await mnistErrors(page)).at(-1)).toMatch(/shapes-model\.safetensors: refused: the model was trained on 3 classes \(circle, square, triangle\) of 1×8×8 inputs, but the data has 10 classes .* of 1×28×28 inputs/);
    // ...and the images panel refuses the MNIST model, and one of another image size.
    await page.setInputFiles('#images-load', mnistModel);
    await page.waitForFunction(() => (window as unknown as { mnistDemoImages: PanelState }).mnistDemoImages.errors.length > 0, undefined, { timeout: 30_000 });
    expect((await panel(page)).errors.at(-1)).toMatch(/mnist-model\.safetensors: refused: the model was trained on 10 classes .* of 1×28×28 inputs, but the data has 3 classes \(circle, square, triangle\) of 3×32×32 inputs/);
    await page.setInputFiles('#images-load', imagesModel);
    await page.waitForFunction(() => (window as unknown as { mnistDemoImages: PanelState }).mnistDemoImages.errors.length > 1, undefined, { timeout: 30_000 });
    expect((await panel(page)).errors.at(-1)).toMatch(/refused: the model was trained on 3 classes \(circle, square, triangle\) of 1×8×8 inputs, but the data has 3 classes \(circle, square, triangle\) of 3×32×32 inputs/);
  });
});
