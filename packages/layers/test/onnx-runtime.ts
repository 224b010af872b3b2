/**
 * onnxruntime-web set up for the ONNX export tests: its .wasm found next to its own dist files, one
 * thread (no worker threads), errors only. Call {@link useOnnxRuntime} at the top of a test file.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setBackend, type Tensor } from '@scratchnet/core';
import * as ort from 'onnxruntime-web';
import { beforeAll, expect } from 'vitest';

/** Points onnxruntime-web at its files and starts the file's tests on the js backend. */
export function useOnnxRuntime(): void {
  beforeAll(async () => {
    await setBackend('js');
    const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web')).replace(/dist.*$/, 'dist');
    ort.env.wasm.wasmPaths = pathToFileURL(dist).href + '/';
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
  });
}

/** Runs an exported model in onnxruntime on float32 `x` (fed as its `input`) and returns its `output`. */
export async function runOnnx(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: number[] }> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const out = (await session.run({ input: new ort.Tensor('float32', x.dataSync() as Float32Array, [...x.shape]) })).output!;
    return { data: out.data as Float32Array, dims: [...out.dims] };
  } finally {
    await session.release();
  }
}

/** The largest |got − expected| over two arrays of the same length (the length is asserted). */
export function largestDifference(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(got.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
  return worst;
}

export { ort };
