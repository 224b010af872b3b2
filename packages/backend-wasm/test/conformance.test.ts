/**
 * The core conformance suite (ops and gradients) on the 'wasm' backend as the package registers it:
 * the best build the host validates and one thread per core, workers sharing the memory.
 * The engine half runs in engine.test.ts: its async-only wrapper forwards shutdown() to the backend
 * under test when it is removed, which would stop the workers in the middle of this file.
 */
import { afterAll, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import { runConformanceSuite } from '@scratchnet/core/testing';
import { defaultThreads, type WasmBackend } from '../src/index.js';

runConformanceSuite({ backend: 'wasm', engine: false });

it('ran multi-threaded where the host has several cores', async () => {
  await sn.setBackend('wasm');
  const info = (sn.getBackend() as WasmBackend).info();
  expect(info.sharedMemory).toBe(true);
  expect(info.threads).toBe(Math.min(await defaultThreads(), 64));
});

afterAll(async () => {
  await sn.removeBackend('wasm');
});
