/** The element types a tensor can hold. */
export type DType = 'float32' | 'int32' | 'bool';

/** The typed array that stores each dtype: float32 → Float32Array, int32 → Int32Array, bool → Uint8Array (0 or 1). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** All dtypes, in promotion order (bool < int32 < float32). */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32'];

/** Bytes per element of a dtype. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** Allocates a zero-filled typed array of `size` elements for `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype a typed array stores. */
export function dtypeOfArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/** True when `value` is one of ScratchNet's dtypes. */
export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'int32' || value === 'bool';
}

/** The common dtype of two operands under promotion bool < int32 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** The bool storage of a number or boolean: 1 unless it is 0, -0 or false (NaN is true, as in NumPy and `cast`). */
export function toBool(value: number | boolean): 0 | 1 {
  return value === false || value === 0 ? 0 : 1;
}

/** Converts arbitrary numbers to the storage of `dtype` (truncating toward zero for int32, x ≠ 0 for bool). */
export function toTypedArray(values: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = toBool(values[i]!);
  } else {
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  }
  return out;
}
