/**
 * The argsort kernel split over two threads (rows large enough to be split) against one thread and
 * against backend-js's kernel, with many ties, a NaN and both zeros in every row, for float32 and int32.
 */
import { describe, expect, it } from 'vitest';
import type { DType, TensorRef } from '@scratchnet/core';
import { createJsBackend } from '@scratchnet/backend-js';
import { threadPair } from './thread-pair.js';

function rows(outer: number, n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(outer * n);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % n === 3 ? NaN : i % n === 5 ? -0 : Math.floor((s / 2 ** 32) * 200) - 100;
  }
  return out;
}

describe('wasm argsort', () => {
  const pair = threadPair();

  const js = createJsBackend();
  const order = (b: { write(v: Float32Array | Int32Array, d: DType): unknown; argsort(x: TensorRef, d: boolean): unknown; readSync?(id: never): unknown }, values: Float32Array | Int32Array, shape: number[], descending: boolean): number[] => {
    const dtype: DType = values instanceof Int32Array ? 'int32' : 'float32';
    const x = { id: b.write(values, dtype), shape, dtype } as TensorRef;
    return Array.from(b.readSync!(b.argsort(x, descending) as never) as Int32Array);
  };

  for (const [outer, n] of [[9, 20000], [64, 3001], [300, 17]] as const) {
    for (const descending of [false, true]) {
      it(`[${outer},${n}] ${descending ? 'descending' : 'ascending'}: two threads = one thread = backend-js, float32 and int32`, () => {
        const f = rows(outer, n, outer * n);
        const i = Int32Array.from(f, (v) => (Number.isNaN(v) ? 2147483647 : v));
        for (const values of [f, i]) {
          const want = order(js, values, [outer, n], descending);
          expect(order(pair.mt, values, [outer, n], descending)).toEqual(want);
          expect(order(pair.st, values, [outer, n], descending)).toEqual(want);
        }
      });
    }
  }
});
