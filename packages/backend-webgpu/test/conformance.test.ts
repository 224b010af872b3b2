/**
 * The backend conformance suite of @scratchnet/core on the 'webgpu' backend: every op on seeded random
 * inputs against the float64 reference, the gradient checks, and the engine half of the contract
 * (read with `await t.data()`, as a GPU backend needs). test/engine.test.ts adds WebGPU-specific checks.
 */
import '../src/index.js';
import { runConformanceSuite } from '@scratchnet/core/testing';
import { gpuTestsEnabled } from './adapter.js';

if (gpuTestsEnabled('conformance: webgpu')) {
  runConformanceSuite({ backend: 'webgpu' });
}
