import { autodiffCases } from './autodiff.js';
import { binaryCases } from './binary.js';
import { compositeCases } from './composites.js';
import { convCasesAll } from './conv.js';
import { poolTieCases } from './pool-ties.js';
import { convenienceCases } from './conveniences.js';
import { convFamilyCases } from './conv-family.js';
import { creationCases } from './creation.js';
import { errorCases } from './errors.js';
import { indexingCases } from './indexing.js';
import { joiningCases } from './joining.js';
import { matmulCases } from './matmul.js';
import { randomCases } from './random.js';
import { webgpuRegressionCases } from './regressions-webgpu.js';
import { rearrangeCases } from './rearrange.js';
import { scanCasesAll } from './scans.js';
import { reductionCases } from './reductions.js';
import { regressionCoreCases } from './regressions-core.js';
import { selectCases } from './select.js';
import { shapeCases } from './shape.js';
import { sortingCases } from './sorting.js';
import { samplingCases } from './random-sampling.js';
import type { ConformanceCase } from './types.js';
import { unaryCases } from './unary.js';
import { unaryGradCases } from './unary-grad.js';
import { stridedCases } from './strided.js';
import { scatterCases } from './scatter.js';
import { einsumCases } from './einsum.js';
import { fusedCases } from './fused.js';
import { epilogueCases } from './epilogue.js';
import { float16Cases } from './float16.js';
import { layerNormCases } from './layer-norm.js';

/** Every conformance case, in the order the suite runs them. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...creationCases,
  ...unaryCases,
  ...unaryGradCases,
  ...binaryCases,
  ...compositeCases,
  ...selectCases,
  ...reductionCases,
  ...matmulCases,
  ...shapeCases,
  ...rearrangeCases,
  ...scanCasesAll,
  ...joiningCases,
  ...indexingCases,
  ...stridedCases,
  ...scatterCases,
  ...einsumCases,
  ...convCasesAll,
  ...poolTieCases,
  ...convFamilyCases,
  ...randomCases,
  ...convenienceCases,
  ...sortingCases,
  ...samplingCases,
  ...autodiffCases,
  ...errorCases,
  ...regressionCoreCases,
  ...webgpuRegressionCases,
  ...fusedCases,
  ...epilogueCases,
  ...float16Cases,
  ...layerNormCases,
];

export type { CompareCase, ConformanceCase, ErrorCase, Gen, InputSpec, Layout, PropertyCase, Tolerance } from './types.js';
