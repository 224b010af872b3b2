/**
 * The own-images workflow as a user runs it: `--images` on a folder of PNG and JPEG files (RGB
 * and grayscale, mixed sizes, a stray .txt), `--save`, `--load` (checked against the data),
 * `--predict`, and the errors for a file, loose images and a text file given as a model.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from './helpers.js';
import { drawShape, encodePng, writeShapeFolder } from './image-fixtures.js';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, MNIST_DEMO_DEBUG: '' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The one `mnist-demo:` line of stderr (other lines, such as a GPU driver's, are not the CLI's). */
function errorLine(r: ReturnType<typeof cli>): string {
  expect(r.code, r.stdout).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('mnist-demo: '));
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

const accuracyOf = (out: string): string | undefined => /test accuracy: ([\d.]+)%/.exec(out)?.[1];

let dir = '';
let shapes = '';
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mnist-demo-images-'));
  shapes = join(dir, 'shapes');
  writeShapeFolder(shapes, 12);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--images with your own PNG and JPEG files', () => {
  const model = (): string => join(dir, 'shapes.safetensors');

  it('trains on RGB images, reports the skipped file and the resizing, picks small-data settings, and saves', () => {
    const r = cli('--images', shapes, '--channels', '3', '--image-size', '16', '--epochs', '4', '--seed', '2', '--save', model());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`data: 30 training / 6 test images from ${shapes} (image folder)`);
    expect(r.stdout).toContain('images: 36 in 3 classes (circle: 12, square: 12, triangle: 12), read as RGB 16×16');
    expect(r.stdout).toContain('resized (--fit pad): 12 × 48×48 → scaled to 16×16; 12 × 64×48 → padded to 64×64, scaled to 16×16; 12 × 40×56 → padded to 56×56, scaled to 16×16');
    expect(r.stdout).toContain('skipped 1 file(s):\n  circle/notes.txt: not a PNG or JPEG file');
    expect(r.stdout).toContain("settings for 30 training images: batch 16, shifts of up to 1 px and rotations of up to 10° each epoch (MNIST's defaults are");
    expect(r.stdout).toMatch(/epoch 4\/4 /);
    expect(r.stdout).toMatch(/circle\s+\d+\s+\d+\s+\d+/);
    expect(r.stdout).toContain(`saved the model to ${model()}`);
  });

  it('without --epochs, a small set gets more epochs than MNIST\'s 6, and says so', () => {
    const r = cli('--images', shapes, '--image-size', '8', '--max-batches', '1', '--model', 'mlp');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/settings for \d+ training images: (\d+) epochs, batch 16/);
    expect(Number(/settings for \d+ training images: (\d+) epochs/.exec(r.stdout)![1])).toBeGreaterThan(6);
  });

  it('--load with --images tests the saved model on the folder (its size and channels from the file)', () => {
    const first = cli('--images', shapes, '--channels', '3', '--image-size', '16', '--epochs', '4', '--seed', '2');
    const r = cli('--load', model(), '--images', shapes, '--seed', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('read as RGB 16×16');
    expect(r.stdout).not.toMatch(/epoch 1\//);
    expect(accuracyOf(r.stdout)).toBe(accuracyOf(first.stdout));
  });

  it('--predict prints the class probabilities of image files, prepared as the model was trained', () => {
    const wide = join(dir, 'wide-circle.png');
    writeFileSync(wide, encodePng(80, 40, drawShape('circle', 80, 40, 5)));
    const r = cli('--load', model(), '--predict', join(shapes, 'square', '0.png'), join(shapes, 'triangle', '2.jpg'), wide);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('classes: circle, square, triangle');
    expect(r.stdout).toContain('predictions (images read as RGB 16×16, --fit pad):');
    const lines = r.stdout.split('\n').filter((l) => l.includes('%)'));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const probs = [...line.matchAll(/(circle|square|triangle) ([\d.]+)%/g)].map((m) => Number(m[2]));
      expect(probs).toHaveLength(3);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
      expect(probs[0]).toBe(Math.max(...probs));
    }
    expect(lines[2]).toContain('[80×40 → padded to 80×80, scaled to 16×16]');
    expect(errorLine(cli('--load', model(), '--predict', join(shapes, 'circle', 'notes.txt')))).toMatch(/^mnist-demo: --predict .*notes\.txt: cannot be decoded: not a PNG or JPEG file/);
    expect(errorLine(cli('--predict'))).toMatch(/--predict needs at least one image file/);
  });

  it('--load refuses data whose classes or input shape differ from the model\'s', () => {
    const two = join(dir, 'two-shapes');
    cpSync(join(shapes, 'circle'), join(two, 'circle'), { recursive: true });
    cpSync(join(shapes, 'square'), join(two, 'square'), { recursive: true });
    expect(errorLine(cli('--load', model(), '--images', two))).toBe(
      `mnist-demo: --load ${model()}: the model was trained on 3 classes (circle, square, triangle) of 3×16×16 inputs, but the data has 2 classes (circle, square) of 3×16×16 inputs (${two} (image folder))`,
    );
    expect(errorLine(cli('--load', model(), '--images', shapes, '--channels', '1'))).toMatch(/trained on 3 classes \(circle, square, triangle\) of 3×16×16 inputs, but the data has 3 classes \(circle, square, triangle\) of 1×16×16 inputs/);
    expect(errorLine(cli('--load', model()))).toMatch(/but the data has 10 classes \(0, 1, .*\) of 1×28×28 inputs \(the 'mnist' package\); test it on its own kind of images with --images DIR/);
  });

  it('grayscale and --fit crop work too, and --predict after training', () => {
    const r = cli('--images', shapes, '--image-size', '12', '--fit', 'crop', '--epochs', '1', '--model', 'mlp', '--predict', join(shapes, 'circle', '1.png'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('read as grayscale 12×12');
    expect(r.stdout).toContain('64×48 → centre-cropped to 48×48, scaled to 12×12');
    // --predict after training uses the run's own preprocessing.
    expect(r.stdout).toContain('predictions (images read as grayscale 12×12, --fit crop):');
    expect(r.stdout).toMatch(/circle[/\\]1\.png: (circle|square|triangle) \(/);
  });
});

describe('--images and --load errors', () => {
  it('--images FILE says it needs a directory; loose images are told to use class sub-folders', () => {
    const file = join(shapes, 'circle', '0.png');
    expect(errorLine(cli('--images', file))).toBe(`mnist-demo: --images ${file}: is a file; --images needs a directory holding one sub-folder of images per class (DIR/cat/1.png, DIR/dog/1.jpg)`);
    const loose = join(dir, 'loose');
    mkdirSync(loose);
    for (let i = 0; i < 3; i++) writeFileSync(join(loose, `${i}.png`), encodePng(8, 8, drawShape('square', 8, 8, i)));
    expect(errorLine(cli('--images', loose))).toBe(
      `mnist-demo: --images ${loose}: 3 image file(s) lie directly in the folder; put each class's images in a sub-folder named after the class (e.g. ${loose}/cat/1.png, ${loose}/dog/1.png)`,
    );
    expect(errorLine(cli('--channels', '3'))).toMatch(/--channels and --fit apply to --images DIR/);
    expect(errorLine(cli('--images', shapes, '--channels', '2'))).toMatch(/--channels must be one of 1, 3, got '2'/);
  });

  it('a text file given as a model is "not a safetensors file"', () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my training notes: lr 0.003 worked best\n');
    expect(errorLine(cli('--load', notes))).toBe(
      `mnist-demo: --load: ${notes}: not a safetensors file: a safetensors file starts with an 8-byte header length and then a JSON header beginning with '{'; it looks like text ("my training notes: lr 0.003 work…")`,
    );
  });

  it('a failed --save leaves the previous model file as it was', (ctx) => {
    const d = join(dir, 'locked');
    mkdirSync(d);
    const file = join(d, 'm.safetensors');
    expect(cli('--images', shapes, '--image-size', '8', '--epochs', '1', '--model', 'mlp', '--save', file).code).toBe(0);
    const before = readFileSync(file);
    // Make the save fail: a read-only directory stops others; root needs the file made immutable.
    const root = process.getuid?.() === 0;
    if (root && spawnSync('chattr', ['+i', file]).status !== 0) ctx.skip(true, 'running as root where chattr +i does not work: no way to make the save fail');
    if (!root) chmodSync(d, 0o555);
    try {
      const r = cli('--images', shapes, '--image-size', '8', '--epochs', '1', '--model', 'mlp', '--seed', '9', '--save', file);
      expect(errorLine(r)).toMatch(/--save: .*save failed, could not (create|rename) the temporary file.*the previous file, if any, is unchanged/);
    } finally {
      if (root) spawnSync('chattr', ['-i', file]);
      else chmodSync(d, 0o755);
    }
    expect(readFileSync(file)).toEqual(before);
    expect(readdirSync(d)).toEqual(['m.safetensors']);
    expect(cli('--load', file, '--images', shapes).code).toBe(0);
  });
});
