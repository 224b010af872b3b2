import type { Backend, Tensor } from '../../index.js';
import type { NDArray, RefDType } from '../reference/ndarray.js';
import type { SuiteRng } from '../prng.js';

/**
 * How an input's values are drawn (always from the suite's seeded PRNG, then rounded to float32):
 * - 'normal': N(0, 1) · 1.5
 * - 'uniform': U(-2, 2)
 * - 'positive': U(0.2, 3)
 * - 'awayFromZero': ±U(0.2, 2) — keeps abs / relu / sign / division off their kink or pole
 * - 'awayFromInteger': integer + U(0.15, 0.35) or U(0.65, 0.85) — keeps floor / ceil / round off their jumps
 * - 'distinct': a shuffled ladder of values at least 0.05 apart — no ties for max / argmax / pooling
 * - 'unit': U(-0.9, 0.9)
 * - 'int': integers in [-9, 9]; 'bool': 0 or 1; 'indices<N': integers in [0, N)
 * - { min, max, avoid? }: U(min, max), resampled while within 0.02 of a value in `avoid`
 * - { values }: exactly these values (for hand-picked special values)
 */
export type Gen =
  | 'normal' | 'uniform' | 'positive' | 'awayFromZero' | 'awayFromInteger' | 'distinct' | 'unit' | 'int' | 'bool'
  | `indices<${number}`
  | { readonly min: number; readonly max: number; readonly avoid?: readonly number[] }
  | { readonly values: readonly number[] };

/**
 * Where the op's input data comes from: contiguous (default), 'transposed' (the input is core's transpose
 * of a tensor holding the data permuted) or 'sliced' (core's slice out of a larger tensor whose other
 * cells hold junk). Either way the op sees data that went through a non-contiguous view.
 */
export type Layout = 'contiguous' | 'transposed' | 'sliced';

export interface InputSpec {
  readonly shape: readonly number[];
  /** Default float32. */
  readonly dtype?: RefDType;
  /** Default: 'normal' for float32, 'int' for int32, 'bool' for bool. */
  readonly gen?: Gen;
  readonly layout?: Layout;
}

/**
 * Tolerance classes:
 * - 'exact': bit-for-bit (int32 and bool outputs are always compared exactly)
 * - 'elementwise': |got - want| ≤ 1e-5·|want| + 1e-6
 * - { accumulate: n }: a value built from n terms: |got - want| ≤ 1e-5·|want| + 2e-6·√n·max(1, max|want|)
 */
export type Tolerance = 'exact' | 'elementwise' | { readonly accumulate: number };

interface CaseBase {
  /** Unique within the op; the test is titled `op › name`. */
  readonly name: string;
  /** The public op this case covers (an entry of REQUIRED_OPS). */
  readonly op: string;
  /** Why the backend under test cannot run this case (it is then skipped with that note), or null when it can. */
  readonly unsupported?: (backend: Backend) => string | null;
}

/** Runs an op in core on generated inputs and compares with the float64 reference. */
export interface CompareCase extends CaseBase {
  readonly kind: 'compare';
  readonly inputs: readonly InputSpec[];
  readonly run: (...xs: Tensor[]) => Tensor | Tensor[];
  readonly ref: (...xs: NDArray[]) => NDArray | NDArray[];
  /** Default 'elementwise'. */
  readonly tol?: Tolerance;
  /**
   * Also check gradients: true = every float32 input, or the list of input positions to differentiate.
   */
  readonly grad?: boolean | readonly number[];
}

/** A property the op must satisfy that no reference array expresses (random ops, dropout...). */
export interface PropertyCase extends CaseBase {
  readonly kind: 'property';
  /** Throws (an Error with a readable message) when the property fails; `rng` is seeded per case. */
  readonly check: (rng: SuiteRng) => void | Promise<void>;
  /** True when this case checks the op's gradient (counts as the op's gradient case). */
  readonly checksGradient?: boolean;
}

/** An input the op must reject with a given error class and a message naming the op and the shapes. */
export interface ErrorCase extends CaseBase {
  readonly kind: 'error';
  readonly inputs: readonly InputSpec[];
  readonly run: (...xs: Tensor[]) => unknown;
  /** The error class's name (ShapeError, ArgumentError, DTypeError...). */
  readonly error: 'ShapeError' | 'ArgumentError' | 'DTypeError' | 'ScratchNetError';
  /** Substrings the message must contain (the op's name is always required). */
  readonly message: readonly string[];
}

export type ConformanceCase = CompareCase | PropertyCase | ErrorCase;
