/**
 * The backend conformance suite of @scratchnet/core on the 'webgpu' backend: every op on seeded random
 * inputs against the float64 reference, and the gradient checks.
 *
 * Left out, because they read tensors synchronously (`dataSync`), which no GPU backend can:
 * - the engine half (`engine: false`); test/engine.test.ts covers the same contract with `await t.data()`;
 * - gather's "index out of range" error case: core checks indices only where it can read them
 *   synchronously, and on this backend the kernel clamps them instead.
 */
import '../src/index.js';
import { runConformanceSuite } from '@scratchnet/core/testing';
import { gpuTestsEnabled } from './adapter.js';

if (gpuTestsEnabled('conformance: webgpu')) {
  runConformanceSuite({ backend: 'webgpu', engine: false, skip: ['gather › index out of range'] });
}
