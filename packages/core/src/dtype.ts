import { decodeFloat16, encodeFloat16 } from './float16.js';

/**
 * The element types a tensor can hold. float16 is IEEE half precision: backends store and cast it
 * everywhere; kernels a backend does not compute in float16 run in float32 (see `Backend.float16Kernels`).
 */
export type DType = 'float32' | 'float16' | 'int32' | 'bool';

/**
 * The typed array that stores each dtype on the host: float32 → Float32Array, float16 → Uint16Array of
 * binary16 bit patterns (Node 20 has no Float16Array), int32 → Int32Array, bool → Uint8Array (0 or 1).
 */
export type TypedArray = Float32Array | Int32Array | Uint8Array | Uint16Array;

/** What ScratchNet knows about one dtype. A table keyed by every DType, so a new dtype cannot be half-added. */
interface DTypeInfo {
  /** Bytes per element in storage. */
  readonly bytes: number;
  /** Rank in promotion order: the higher rank wins. */
  readonly rank: number;
  /** True for the floating-point dtypes (they carry gradients). */
  readonly float: boolean;
  /** A zero-filled storage array of `size` elements. */
  readonly alloc: (size: number) => TypedArray;
}

const DTYPE_INFO: { readonly [D in DType]: DTypeInfo } = {
  bool: { bytes: 1, rank: 0, float: false, alloc: (n) => new Uint8Array(n) },
  int32: { bytes: 4, rank: 1, float: false, alloc: (n) => new Int32Array(n) },
  float16: { bytes: 2, rank: 2, float: true, alloc: (n) => new Uint16Array(n) },
  float32: { bytes: 4, rank: 3, float: true, alloc: (n) => new Float32Array(n) },
};

/** All dtypes, in promotion order (bool < int32 < float16 < float32). */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float16', 'float32'];

/**
 * Compile-time exhaustiveness: call in the `default` of a switch over dtypes, so adding a dtype makes
 * every switch that forgot it fail to compile.
 */
export function unknownDType(dtype: never): never {
  throw new Error(`unknown dtype ${String(dtype)}`);
}

/** Bytes per element of a dtype. */
export function bytesPerElement(dtype: DType): number {
  return DTYPE_INFO[dtype].bytes;
}

/** True for float32 and float16. */
export function isFloatDType(dtype: DType): boolean {
  return DTYPE_INFO[dtype].float;
}

/** Allocates a zero-filled storage array of `size` elements for `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  return DTYPE_INFO[dtype].alloc(size);
}

/** The dtype a storage array holds (a Uint16Array holds float16 bit patterns). */
export function dtypeOfArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint16Array) return 'float16';
  return 'bool';
}

/** True when `value` is one of ScratchNet's dtypes. */
export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(DTYPE_INFO, value);
}

/** The dtype names, quoted and joined for error messages. */
export function dtypeList(): string {
  return DTYPES.map((d) => `'${d}'`).join(', ');
}

/** The common dtype of two operands under promotion bool < int32 < float16 < float32 (float16 with float32 is float32, as in PyTorch). */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPE_INFO[a].rank >= DTYPE_INFO[b].rank ? a : b;
}

/** The bool storage of a number or boolean: 1 unless it is 0, -0 or false (NaN is true, as in NumPy and `cast`). */
export function toBool(value: number | boolean): 0 | 1 {
  return value === false || value === 0 ? 0 : 1;
}

/** Converts arbitrary numbers to the storage of `dtype` (truncating toward zero for int32, x ≠ 0 for bool, nearest half for float16). */
export function toTypedArray(values: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  const n = values.length;
  switch (dtype) {
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = toBool(values[i]!);
      return out;
    }
    case 'float16': {
      const nums = new Float64Array(n);
      for (let i = 0; i < n; i++) nums[i] = Number(values[i]);
      return encodeFloat16(nums);
    }
    case 'int32':
    case 'float32': {
      const out = allocArray(dtype, n);
      for (let i = 0; i < n; i++) out[i] = Number(values[i]);
      return out;
    }
    default:
      return unknownDType(dtype);
  }
}

/** The values of a storage array as numbers: float16 bit patterns decode to Float32Array; other arrays are returned as they are. */
export function storageToValues(values: TypedArray, dtype: DType): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float16') return decodeFloat16(values as Uint16Array);
  return values as Float32Array | Int32Array | Uint8Array;
}

/**
 * Converts a storage array of dtype `from` into one of dtype `to` on the host: float → int32 truncates
 * toward zero (NaN → 0, out-of-range wraps), → bool is x ≠ 0 (NaN → true), → float16 rounds to nearest
 * even (overflow → ±Infinity), → float32 is exact or nearest. Always returns a new array.
 */
export function castArray(values: TypedArray, from: DType, to: DType): TypedArray {
  const src = storageToValues(values, from);
  const n = src.length;
  switch (to) {
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
      return out;
    }
    case 'float16':
      return encodeFloat16(src);
    case 'int32':
    case 'float32': {
      const out = allocArray(to, n);
      // Typed-array assignment converts: ToInt32 truncates toward zero, Float32 rounds to nearest.
      out.set(src);
      return out;
    }
    default:
      return unknownDType(to);
  }
}
