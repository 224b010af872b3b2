/**
 * The conformance suite in compiled mode on the 'js' backend: every compare case and gradient check
 * recorded by `compile`, replayed, and the replay compared with the float64 reference.
 */
import '../src/index.js';
import { runConformanceSuite } from '@scratchnet/core/testing';

runConformanceSuite({ backend: 'js', compiled: true });
