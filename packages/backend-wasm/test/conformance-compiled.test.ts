/**
 * The conformance suite in compiled mode on the 'wasm' backend: every compare case and gradient check
 * recorded by `compile`, replayed, and the replay compared with the float64 reference.
 */
import { runConformanceSuite } from '@scratchnet/core/testing';
import '../src/index.js';

runConformanceSuite({ backend: 'wasm', engine: false, compiled: true });
