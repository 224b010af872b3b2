/**
 * The core conformance suite (ops and gradients) on a single-threaded wasm backend: no worker is
 * started, every kernel runs its whole range on the calling thread.
 */
import { registerBackend } from '@scratchnet/core';
import { runConformanceSuite } from '@scratchnet/core/testing';
import { createWasmBackend } from '../src/index.js';

registerBackend('wasm-1t', () => createWasmBackend({ name: 'wasm-1t', threads: 1 }), { priority: -1 });
runConformanceSuite({ backend: 'wasm-1t', engine: false });
