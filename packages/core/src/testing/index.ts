/**
 * `@scratchnet/core/testing`: the backend conformance suite. A backend package runs it with
 *
 * ```ts
 * import '../src/index.js'; // registers the backend
 * import { runConformanceSuite } from '@scratchnet/core/testing';
 * runConformanceSuite({ backend: 'mybackend' });
 * ```
 */
export { runConformanceSuite, caseTitle, COMPILE_REFUSED_OPS, type ConformanceOptions } from './run-suite.js';
export { runEngineSuite, type EngineSuiteOptions } from './engine-suite.js';
export { conformanceCases } from './cases/index.js';
export type { CompareCase, ConformanceCase, ErrorCase, Gen, InputSpec, Layout, PropertyCase, Tolerance } from './cases/index.js';
export { REQUIRED_OPS, DIFFERENTIABLE_OPS, OP_TABLE, NON_OP_EXPORTS } from './required-ops.js';
export { coverageProblems, hasGradientCheck } from './coverage.js';
export { runCompareCase, runGradientCase, runErrorCase, runPropertyCase, ConformanceFailure, type CaseMode } from './execute.js';
export { SuiteRng, caseSeed, fmtSeed } from './prng.js';
export { randomFusedProgram, type FusedFocus, type RandomFusedProgram } from './fused-programs.js';
export { numericGradient } from './gradcheck.js';
export type { CoverageReport, OpResult } from './report.js';
export * as reference from './reference/index.js';
