/**
 * Packs the `mnist` package's 10,000 digits for the web app as two gzipped IDX files (the format
 * of the real MNIST distribution, which the layers package reads in browsers too): images
 * `[10000, 28, 28]` uint8 and labels `[10000]` uint8, grouped by class in the package's order.
 * About 1.6 MB in all instead of the package's 22 MB of JSON.
 */
import { gzipSync } from 'node:zlib';
import { loadMnistPackage } from './mnist-package.js';

/** File names the web app fetches. */
export const PACKED_IMAGES = 'mnist-images-idx3-ubyte.gz';
export const PACKED_LABELS = 'mnist-labels-idx1-ubyte.gz';

/** An IDX file of unsigned bytes: magic `00 00 08 <ndims>`, big-endian sizes, then the bytes. */
export function encodeIdxBytes(shape: readonly number[], values: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + values.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x00000800 | shape.length);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(values, 4 + 4 * shape.length);
  return out;
}

/** The two gzipped IDX files, by name. */
export async function packMnistPackage(): Promise<Map<string, Uint8Array>> {
  const perDigit = await loadMnistPackage();
  const count = perDigit.reduce((n, d) => n + d.length / 784, 0);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  let at = 0;
  perDigit.forEach((d, c) => {
    images.set(d, at * 784);
    labels.fill(c, at, at + d.length / 784);
    at += d.length / 784;
  });
  return new Map([
    [PACKED_IMAGES, new Uint8Array(gzipSync(encodeIdxBytes([count, 28, 28], images), { level: 9 }))],
    [PACKED_LABELS, new Uint8Array(gzipSync(encodeIdxBytes([count], labels), { level: 9 }))],
  ]);
}
