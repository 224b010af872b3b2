/** `mnist-demo toy`: the 2-D toy workflow, spawned as a user runs it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from './helpers.js';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, MNIST_DEMO_DEBUG: '' }, timeout: 240_000, cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function errorLine(r: ReturnType<typeof cli>): string {
  expect(r.code).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('mnist-demo: '));
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

/** The distinct colours of a PNG's pixels, as 'r,g,b'. */
function colours(path: string): { width: number; height: number; set: Set<string> } {
  const png = PNG.sync.read(readFileSync(path));
  const set = new Set<string>();
  for (let i = 0; i < png.width * png.height; i++) set.add(`${png.data[4 * i]},${png.data[4 * i + 1]},${png.data[4 * i + 2]}`);
  return { width: png.width, height: png.height, set };
}

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'mnist-demo-toy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mnist-demo toy', () => {
  it('trains on moons, prints loss and accuracy, and writes the boundary picture', () => {
    const r = cli('toy', '--dataset', 'moons', '--epochs', '30', '--size', '120', '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ScratchNet toy: moons, 300 generated points (noise 0.1), 2 classes; MLP 2-32-32-2');
    const acc = Number(/training accuracy ([\d.]+)%/.exec(r.stdout)?.[1]);
    expect(acc).toBeGreaterThan(95);
    expect(r.stdout).toContain('wrote toy-moons.png (120×120): the background is the class predicted there');
    const png = colours(join(dir, 'toy-moons.png'));
    expect([png.width, png.height]).toEqual([120, 120]);
    // Both dot colours (the palette's first two) and the dark rims are in the picture.
    for (const c of ['220,60,50', '40,110,220', '40,40,40']) expect(png.set.has(c), c).toBe(true);
  });

  it('takes your own points from a CSV file, with class names', () => {
    const csv = join(dir, 'mine.csv');
    const lines = ['x,y,label'];
    for (let i = 0; i < 40; i++) lines.push(`${(i % 10) * 3},${Math.floor(i / 10) * 5},${i % 10 < 5 ? 'left' : 'right'}`);
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'mine.png');
    const r = cli('toy', '--dataset', csv, '--epochs', '40', '--size', '64', '--out', out, '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${csv}, 40 points, 2 classes`);
    expect(r.stdout).toContain('(left: #dc3c32, right: #286edc)');
    expect(existsSync(out)).toBe(true);
  });

  it('says what is wrong with its input', () => {
    expect(errorLine(cli('toy', '--dataset', 'galaxies'))).toMatch(/--dataset must be one of spirals, moons, circles, xor, blobs or a \.csv file/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'x,y,label\n1,2,a\n3,oops,b\n');
    expect(errorLine(cli('toy', '--dataset', bad))).toBe(`mnist-demo: --dataset ${bad} line 3: expected 'x,y,label' with numbers x and y, got '3,oops,b'`);
    const one = join(dir, 'one.csv');
    writeFileSync(one, '1,2,a\n3,4,a\n');
    expect(errorLine(cli('toy', '--dataset', one))).toMatch(/needs points of at least two classes, found 1 \(a\)/);
    expect(errorLine(cli('toy', '--out', 'x.jpg'))).toMatch(/--out must name a \.png file/);
    expect(errorLine(cli('toy', '--epochs', '0'))).toMatch(/--epochs must be an integer ≥ 1/);
    expect(errorLine(cli('toy', '--bogus'))).toMatch(/toy: Unknown option '--bogus'/);
    expect(cli('toy', '--help').stdout).toContain('--dataset NAME|FILE.csv');
  });
});
