/**
 * The conformance suite in compiled mode on the 'webgpu' backend: every compare case and gradient
 * check recorded by `compile`, replayed, and the replay (read with `await t.data()`) compared with the
 * float64 reference.
 */
import '../src/index.js';
import { runConformanceSuite } from '@scratchnet/core/testing';
import { gpuTestsEnabled } from './adapter.js';

if (gpuTestsEnabled('conformance (compiled): webgpu')) {
  runConformanceSuite({ backend: 'webgpu', engine: false, compiled: true });
}
