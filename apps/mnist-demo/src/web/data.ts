/** The digits in the browser: the packed IDX files served with the app, split as the CLI splits them. */
import { readIdx } from '@scratchnet/layers';
import { groupByDigit, splitPerDigit, type DigitSplit } from '../shared/data.js';

/** Digits held out for testing (as in the CLI). */
export const TEST_DIGITS = 2000;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Fetches the 10,000 digits served with the app (`data/*.gz`, packed from the `mnist` package at
 * build time) and splits them 8,000 / 2,000 with the CLI's seeded per-digit shuffle.
 */
export async function loadDigits(seed = 1): Promise<DigitSplit> {
  const [images, labels] = await Promise.all([
    fetchBytes('data/mnist-images-idx3-ubyte.gz').then((b) => readIdx(b, { source: 'mnist-images' })),
    fetchBytes('data/mnist-labels-idx1-ubyte.gz').then((b) => readIdx(b, { source: 'mnist-labels' })),
  ]);
  const all = { images: images.data as Uint8Array, labels: labels.data as Uint8Array, count: labels.data.length };
  return splitPerDigit(groupByDigit(all), TEST_DIGITS, seed);
}
