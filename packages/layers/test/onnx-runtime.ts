/**
 * onnxruntime-web set up for the ONNX export tests: its .wasm found next to its own dist files, one
 * thread (no worker threads), errors only. Call {@link useOnnxRuntime} at the top of a test file.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setBackend } from '@scratchnet/core';
import * as ort from 'onnxruntime-web';
import { beforeAll } from 'vitest';

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

export { ort };
