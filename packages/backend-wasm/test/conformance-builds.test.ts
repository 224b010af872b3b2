/**
 * The core conformance suite on the other two builds, so that hosts without relaxed SIMD or without
 * SIMD get kernels as correct as the default: the plain-SIMD build with threads, the scalar build on
 * one thread.
 */
import { registerBackend } from '@scratchnet/core';
import { runConformanceSuite } from '@scratchnet/core/testing';
import { createWasmBackend } from '../src/index.js';

registerBackend('wasm-simd', () => createWasmBackend({ name: 'wasm-simd', isa: 'simd' }), { priority: -1 });
registerBackend('wasm-scalar', () => createWasmBackend({ name: 'wasm-scalar', isa: 'scalar', threads: 1 }), { priority: -1 });
runConformanceSuite({ backend: 'wasm-simd', engine: false });
runConformanceSuite({ backend: 'wasm-scalar', engine: false });
