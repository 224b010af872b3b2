/**
 * The backend conformance suite of @scratchnet/core run on the 'js' backend: every op on seeded
 * random inputs against the float64 reference, gradient checks, and the engine contract.
 */
import '../src/index.js';
import { runConformanceSuite } from '@scratchnet/core/testing';

runConformanceSuite({ backend: 'js' });
