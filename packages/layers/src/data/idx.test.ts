import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FileFormatError } from '../io/errors.js';
import { parseIdx, readIdx, readIdxFile, type IdxDType } from './idx.js';

/** Writes an IDX file by hand: magic, big-endian dimensions, big-endian values. */
function makeIdx(code: number, shape: number[], values: number[]): Uint8Array {
  const width = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[code] ?? 1;
  const out = new Uint8Array(4 + 4 * shape.length + values.length * width);
  const view = new DataView(out.buffer);
  out.set([0, 0, code, shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const start = 4 + 4 * shape.length;
  values.forEach((v, i) => {
    const at = start + i * width;
    if (code === 0x08) view.setUint8(at, v);
    else if (code === 0x09) view.setInt8(at, v);
    else if (code === 0x0b) view.setInt16(at, v, false);
    else if (code === 0x0c) view.setInt32(at, v, false);
    else if (code === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  });
  return out;
}

/** Asserts that `fn` rejects/throws a FileFormatError with this code and message. */
async function expectFileError(fn: () => unknown, code: string, message: string | RegExp): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(FileFormatError);
  const e = caught as FileFormatError;
  expect(e.code).toBe(code);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
}

const CASES: { code: number; dtype: IdxDType; values: number[]; ctor: new (n: number) => ArrayLike<number> }[] = [
  { code: 0x08, dtype: 'uint8', values: [0, 1, 127, 128, 200, 255], ctor: Uint8Array },
  { code: 0x09, dtype: 'int8', values: [-128, -1, 0, 1, 64, 127], ctor: Int8Array },
  { code: 0x0b, dtype: 'int16', values: [-32768, -2, 0, 3, 258, 32767], ctor: Int16Array },
  { code: 0x0c, dtype: 'int32', values: [-(2 ** 31), -70000, 0, 1, 65537, 2 ** 31 - 1], ctor: Int32Array },
  { code: 0x0d, dtype: 'float32', values: [-1.5, 0, 0.25, 3.1415927410125732, 2 ** 100, -Infinity], ctor: Float32Array },
  { code: 0x0e, dtype: 'float64', values: [-1.5, 0, Math.PI, 1e300, -1e-300, Number.MAX_VALUE], ctor: Float64Array },
];

describe('parseIdx / readIdx', () => {
  for (const c of CASES) {
    it(`reads type code 0x${c.code.toString(16)} (${c.dtype}) big-endian, raw and gzipped (both inflaters)`, async () => {
      const raw = makeIdx(c.code, [2, 3], c.values);
      const direct = parseIdx(raw);
      expect(direct.shape).toEqual([2, 3]);
      expect(direct.dtype).toBe(c.dtype);
      expect(direct.data).toBeInstanceOf(c.ctor);
      expect([...direct.data]).toEqual(c.values);
      const gz = new Uint8Array(gzipSync(raw));
      for (const method of ['auto', 'stream', 'zlib'] as const) {
        const viaGzip = await readIdx(gz, { gunzip: method });
        expect(viaGzip.shape).toEqual([2, 3]);
        expect([...viaGzip.data]).toEqual(c.values);
      }
    });
  }

  it('reads a 3-D ubyte file like MNIST images, an ArrayBuffer, a sliced view, and zero-size dimensions', async () => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10 % 256);
    const raw = makeIdx(0x08, [2, 3, 4], values);
    const parsed = await readIdx(raw.slice().buffer);
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect([...parsed.data]).toEqual(values);
    const padded = new Uint8Array(raw.length + 5);
    padded.set(raw, 3);
    expect([...parseIdx(padded.subarray(3, 3 + raw.length)).data]).toEqual(values);
    const empty = parseIdx(makeIdx(0x0d, [0, 28, 28], []));
    expect(empty.shape).toEqual([0, 28, 28]);
    expect(empty.data.length).toBe(0);
  });

  it('rejects each malformed input with its own error', async () => {
    const good = makeIdx(0x0c, [2, 2], [1, 2, 3, 4]);
    await expectFileError(() => parseIdx(new Uint8Array(0)), 'empty', 'IDX data: the file is empty (0 bytes); an IDX file starts with a 4-byte magic number');
    await expectFileError(() => parseIdx(good.subarray(0, 3)), 'truncated', 'IDX data: truncated inside the magic number: expected 4 bytes, got 3');
    await expectFileError(
      () => parseIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0])),
      'bad-magic',
      'IDX data: bad magic number 0x50 0x4B 0x03 0x04: an IDX file starts with two zero bytes, a type code and the number of dimensions',
    );
    await expectFileError(
      () => parseIdx(new Uint8Array([0, 0, 0x07, 1, 0, 0, 0, 1, 9])),
      'unknown-type',
      'IDX data: unknown IDX type code 0x07 (known: 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double)',
    );
    await expectFileError(
      () => parseIdx(good.subarray(0, 9)),
      'truncated',
      'IDX data: truncated inside the dimension sizes: 2 dimensions need a 12-byte header, got 9 bytes',
    );
    await expectFileError(
      () => parseIdx(good.subarray(0, good.length - 1), { source: 'labels.idx' }),
      'truncated',
      'labels.idx: truncated data: expected 16 bytes for shape [2,2] of int (4 bytes each), got 15',
    );
    const long = new Uint8Array(good.length + 2);
    long.set(good);
    await expectFileError(() => parseIdx(long), 'trailing-bytes', 'IDX data: 2 unexpected bytes after the 16 data bytes for shape [2,2] of int (4 bytes each)');
    const gz = new Uint8Array(gzipSync(good));
    await expectFileError(() => parseIdx(gz), 'corrupt-gzip', /gzip-compressed; parseIdx reads raw IDX only/);
    for (const method of ['stream', 'zlib'] as const) {
      await expectFileError(() => readIdx(gz.subarray(0, gz.length - 12), { gunzip: method }), 'corrupt-gzip', /^IDX data: gzip data is corrupt or truncated/);
    }
    // A gzip that inflates fine but holds a truncated IDX file is reported as truncated IDX data.
    await expectFileError(() => readIdx(new Uint8Array(gzipSync(good.subarray(0, 14)))), 'truncated', /truncated data: expected 16 bytes/);
  });
});

describe('readIdxFile', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads gzipped and plain files from disk and names the path in errors', async () => {
    dir = await mkdtemp(join(tmpdir(), 'scratchnet-idx-'));
    const raw = makeIdx(0x08, [3], [7, 8, 9]);
    await writeFile(join(dir, 'a.idx'), raw);
    await writeFile(join(dir, 'a.idx.gz'), new Uint8Array(gzipSync(raw)));
    await writeFile(join(dir, 'bad.idx.gz'), new Uint8Array(gzipSync(raw.subarray(0, 8))));
    expect([...(await readIdxFile(join(dir, 'a.idx'))).data]).toEqual([7, 8, 9]);
    expect([...(await readIdxFile(join(dir, 'a.idx.gz'))).data]).toEqual([7, 8, 9]);
    const missing = join(dir, 'missing.idx');
    await expectFileError(() => readIdxFile(missing), 'not-found', `${missing}: no such file`);
    await expectFileError(() => readIdxFile(join(dir, 'bad.idx.gz')), 'truncated', `${join(dir, 'bad.idx.gz')}: truncated data: expected 3 bytes for shape [3] of unsigned byte (1 byte each), got 0`);
    await expectFileError(() => readIdxFile(dir), 'io', `${dir}: is a directory, not a file`);
  });
});

// The real MNIST test set, when the shared data folder is there: <repo root>/../shared/mnist.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const mnistDir = [resolve(repoRoot, '../shared/mnist'), resolve(repoRoot, 'shared/mnist')].find((d) =>
  existsSync(join(d, 't10k-images-idx3-ubyte.gz')),
);

describe('MNIST t10k files', () => {
  it.skipIf(mnistDir === undefined)(
    mnistDir === undefined
      ? `reads the real t10k files — SKIPPED: no t10k-images-idx3-ubyte.gz in ${resolve(repoRoot, '../shared/mnist')} or ${resolve(repoRoot, 'shared/mnist')}`
      : `reads the real t10k files from ${mnistDir}`,
    async () => {
      const images = await readIdxFile(join(mnistDir!, 't10k-images-idx3-ubyte.gz'));
      const labels = await readIdxFile(join(mnistDir!, 't10k-labels-idx1-ubyte.gz'));
      expect(images.shape).toEqual([10000, 28, 28]);
      expect(images.dtype).toBe('uint8');
      expect(images.data.length).toBe(10000 * 28 * 28);
      expect(labels.shape).toEqual([10000]);
      expect(labels.dtype).toBe('uint8');
      const counts = new Array<number>(10).fill(0);
      for (const l of labels.data) {
        expect(l).toBeGreaterThanOrEqual(0);
        expect(l).toBeLessThanOrEqual(9);
        counts[l] = counts[l]! + 1;
      }
      expect(counts.every((n) => n > 800)).toBe(true);
      let max = 0;
      for (const p of images.data) if (p > max) max = p;
      expect(max).toBe(255);
    },
  );
});
