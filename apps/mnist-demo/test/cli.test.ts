/**
 * The CLI as a user runs it: the built `mnist-demo` spawned with arguments. Bad input gives one
 * line on stderr and a non-zero exit, never a stack trace; short runs train, save and load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from './helpers.js';

/** The full MNIST set, in shared/ beside the repository. */
const SHARED_MNIST = fileURLToPath(new URL('../../../../shared/mnist', import.meta.url));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, MNIST_DEMO_DEBUG: '' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts a one-line error with a non-zero exit. */
function expectOneLineError(r: ReturnType<typeof cli>, text: string | RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mnist-demo: /);
  expect(lines[0]).toMatch(text);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mnist-demo-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mnist-demo CLI: input errors', () => {
  it('--help prints the usage and every option', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const flag of ['--backend', '--model', '--epochs', '--batch-size', '--lr', '--optimizer', '--seed', '--switch-backend', '--data', '--save', '--load', '--compare', '--mixed-precision', '--images', '--channels', '--fit', '--predict', '--help']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--epochs', 'three'], /--epochs must be an integer/],
    [['--epochs', '-1'], /--epochs/],
    [['--batch-size', '0'], /--batch-size must be an integer ≥ 1/],
    [['--lr', 'fast'], /--lr must be a positive number/],
    [['--lr', '0'], /--lr must be a positive number/],
    [['--model', 'resnet'], /--model must be one of cnn, wide, mlp/],
    [['--optimizer', 'lbfgs'], /--optimizer must be one of/],
    [['--switch-backend', 'js'], /--switch-backend must be EPOCH:NAME/],
    [['--switch-backend', '1:js'], /epoch must be 2 or more/],
    [['--switch-backend', '9:js', '--epochs', '2'], /only 2 epochs/],
    [['--epochs'], /argument missing|--epochs/],
    [['extra'], /Unexpected argument 'extra'|positional/],
    [['--image-size', '30', '--images', '.'], /multiple of 4/],
  ])('%j → one-line error', (args, text) => {
    expectOneLineError(cli(...args), text);
  });

  it('an unknown backend is named, with the registered ones', () => {
    expectOneLineError(cli('--backend', 'cuda'), /unknown backend 'cuda'; registered here: .*js/);
    expectOneLineError(cli('--switch-backend', '2:cuda'), /unknown backend 'cuda'/);
  });

  it('a missing or malformed data directory', () => {
    expectOneLineError(cli('--data', join(dir, 'nowhere')), /--data .*nowhere: no such directory/);
    const partial = join(dir, 'partial');
    mkdirSync(partial);
    expectOneLineError(cli('--data', partial), /missing train-images-idx3-ubyte\.gz/);
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      writeFileSync(join(partial, f), 'not an IDX file at all');
    }
    expectOneLineError(cli('--data', partial), /train-images-idx3-ubyte: bad magic number/);
  });

  it('a missing or corrupt model file for --load, a bad --save path', () => {
    expectOneLineError(cli('--load', join(dir, 'none.safetensors')), /--load: .*none\.safetensors/);
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, 'garbage');
    expectOneLineError(cli('--load', bad), /--load: .*bad\.safetensors/);
    expectOneLineError(cli('--epochs', '1', '--max-batches', '1', '--limit', '50', '--save', join(dir, 'no/such/dir/m.safetensors')), /--save .*does not exist/);
  });

  it('a missing --images folder, or one without classes', () => {
    expectOneLineError(cli('--images', join(dir, 'nope')), /no such directory/);
    const empty = join(dir, 'empty-images');
    mkdirSync(empty);
    expectOneLineError(cli('--images', empty), /at least two class sub-folders/);
  });
});

describe('mnist-demo CLI: short runs', () => {
  it('trains a few batches, prints the epoch summary, accuracy, confusion matrix and time per epoch', () => {
    const r = cli('--epochs', '1', '--max-batches', '6', '--limit', '400', '--seed', '3');
    expect(r.stderr).not.toMatch(/mnist-demo:|\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('data: 384 training / 400 test images');
    expect(r.stdout).toMatch(/epoch 1\/1 \[\w+\] {2}loss \d\.\d{4}/);
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d%/);
    expect(r.stdout).toContain('confusion matrix');
    expect(r.stdout).toContain('time per epoch');
    expect(r.stdout).toMatch(/done: 1 epoch\(s\) on \w+/);
  });

  it('--switch-backend goes on from the given epoch on the named backend', () => {
    const r = cli('--epochs', '2', '--max-batches', '2', '--limit', '200', '--model', 'mlp', '--optimizer', 'sgd', '--switch-backend', '2:js');
    expect(r.code, r.stderr).toBe(0);
    const first = /epoch 1\/2 \[(\w+)\]/.exec(r.stdout)?.[1];
    expect(r.stdout).toMatch(/epoch 2\/2 \[js\]/);
    // From the best backend (wasm where it loads) onto js; nothing to move when js was the best.
    if (first !== 'js') expect(r.stdout).toContain(`switched backend: ${first} → js (training goes on from epoch 2)`);
  });

  it('--save then --load gives the same test accuracy; --load with --epochs trains on', () => {
    const file = join(dir, 'm.safetensors');
    const a = cli('--epochs', '1', '--max-batches', '4', '--limit', '300', '--save', file);
    expect(a.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const acc = /test accuracy: ([\d.]+)%/.exec(a.stdout)?.[1];
    const b = cli('--load', file, '--limit', '300');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain(`model from ${file}`);
    expect(/test accuracy: ([\d.]+)%/.exec(b.stdout)?.[1]).toBe(acc);
    expect(b.stdout).not.toContain('epoch 1/');
    const c = cli('--load', file, '--limit', '300', '--epochs', '1', '--max-batches', '2');
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/epoch 1\/1 \[\w+\]/);
  });

  it('--compare prints a table of samples/s and final loss per available backend', () => {
    const r = cli('--compare', '--max-batches', '3', '--batch-size', '16');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backend\s+batches\s+samples\/s\s+first loss\s+final loss/);
    expect(r.stdout).toMatch(/\n\s+js\s+3\s+[\d,]+\s+\d\.\d{4}\s+\d\.\d{4}/);
  });

  it('--images trains on a folder of class sub-folders of PNGs', () => {
    const root = join(dir, 'shapes');
    // Two classes drawn at 32×32: a horizontal bar and a vertical bar, at shifting places.
    for (const [cls, horizontal] of [['horizontal', true], ['vertical', false]] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      for (let i = 0; i < 10; i++) {
        const png = new PNG({ width: 32, height: 32 });
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            const on = horizontal ? Math.abs(y - (10 + i)) < 3 && x > 4 && x < 28 : Math.abs(x - (10 + i)) < 3 && y > 4 && y < 28;
            const o = 4 * (y * 32 + x);
            png.data[o] = png.data[o + 1] = png.data[o + 2] = on ? 255 : 0;
            png.data[o + 3] = 255;
          }
        }
        writeFileSync(join(root, cls, `${i}.png`), new Uint8Array(PNG.sync.write(png)));
      }
    }
    const r = cli('--images', root, '--image-size', '16', '--epochs', '3', '--batch-size', '8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('16 training / 4 test images');
    expect(r.stdout).toMatch(/horizontal\s+\d+\s+\d+/);
  });

  it('--mixed-precision trains with float16 products and dynamic loss scaling', () => {
    const r = cli('--mixed-precision', '--epochs', '1', '--max-batches', '3', '--limit', '200', '--seed', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/epoch 1\/1 \[\w+\] {2}loss \d\.\d{4}/);
    expect(r.stdout).toMatch(/mixed precision: loss scale \d+, 0 step\(s\) skipped for overflow so far/);
    expect(r.stdout).toContain('test accuracy');
  });

  it('--model wide trains the wider CNN', () => {
    const r = cli('--model', 'wide', '--epochs', '1', '--max-batches', '2', '--limit', '100');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ScratchNet MNIST demo: wide (421,834 parameters)');
  });
});

describe('mnist-demo CLI: the full MNIST set', () => {
  if (!existsSync(join(SHARED_MNIST, 'train-images-idx3-ubyte.gz'))) {
    it.skip(`skipped: no full MNIST at ${SHARED_MNIST} (the four IDX .gz files)`, () => undefined);
    return;
  }
  it('--data reads the four IDX files of the full set', () => {
    const r = cli('--data', SHARED_MNIST, '--epochs', '1', '--max-batches', '3', '--limit', '500');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('192 training / 500 test images');
    expect(r.stdout).toContain('(full MNIST)');
  });
});
