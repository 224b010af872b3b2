import { allocArray, dtypeList, isDType, toBool, toTypedArray, type DType, type TypedArray } from '../dtype.js';
import { toFloat16Bits } from '../float16.js';
import { writeTensor } from '../engine/engine.js';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Values `tensor()` accepts: nested arrays of numbers / booleans, typed arrays, or a single value. */
export type TensorInput = number | boolean | TensorInput[] | ArrayLike<number> | Float64Array;

function checkDType(dtype: unknown, op: string): DType {
  if (!isDType(dtype)) throw new DTypeError(`${op}: dtype must be one of ${dtypeList()}, got ${String(dtype)}`);
  return dtype;
}

function isTypedArray(v: unknown): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function inferShape(values: unknown, op: string): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level) || isTypedArray(level)) {
    shape.push((level as ArrayLike<unknown>).length);
    if ((level as ArrayLike<unknown>).length === 0) break;
    level = (level as ArrayLike<unknown>)[0];
  }
  if (!Array.isArray(values) && !isTypedArray(values) && typeof values !== 'number' && typeof values !== 'boolean') {
    throw new ArgumentError(`${op}: values must be a number, a boolean, a (nested) array or a typed array, got ${typeof values}`);
  }
  return shape;
}

function flatten(values: unknown, shape: readonly number[], op: string): (number | boolean)[] {
  const out: (number | boolean)[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new ArgumentError(`${op}: element at ${path || 'root'} is ${typeof v}, expected a number or boolean`);
      out.push(v);
      return;
    }
    if (!Array.isArray(v) && !isTypedArray(v)) throw new ShapeError(`${op}: ragged nested array: element at ${path} is not an array but the shape ${fmtShape(shape)} needs one`);
    const arr = v as ArrayLike<unknown>;
    if (arr.length !== shape[depth]) {
      throw new ShapeError(`${op}: ragged nested array: ${path || 'root'} has length ${arr.length}, expected ${shape[depth]} (shape ${fmtShape(shape)})`);
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return out;
}

function defaultDType(values: unknown): DType {
  if (values instanceof Int32Array || values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint16Array || values instanceof Uint8Array) return 'int32';
  let v: unknown = values;
  while (Array.isArray(v) && v.length > 0) v = v[0];
  return typeof v === 'boolean' ? 'bool' : 'float32';
}

/**
 * Makes a tensor from nested arrays, a typed array (flat, with `shape`), or a single value.
 * The dtype is inferred (booleans → bool, Int32Array → int32, otherwise float32) unless given.
 * @example tensor([[1, 2], [3, 4]]) // float32 [2,2]
 */
export function tensor(values: TensorInput, shape?: Shape, dtype?: DType): Tensor {
  const dt = dtype === undefined ? defaultDType(values) : checkDType(dtype, 'tensor');
  const inferred = inferShape(values, 'tensor');
  const flat: ArrayLike<number | boolean> = isTypedArray(values) ? values : flatten(values, inferred, 'tensor');
  let finalShape: number[];
  if (shape !== undefined) {
    checkShape(shape, 'tensor');
    finalShape = [...shape];
    const n = sizeOf(finalShape);
    if (flat.length !== n && !(flat.length === 1 && inferred.length === 0)) {
      throw new ShapeError(`tensor: ${flat.length} values do not fill shape ${fmtShape(finalShape)} (${n} elements)`);
    }
    if (flat.length === 1 && n !== 1) return full(finalShape, Number(flat[0]), dt);
  } else {
    finalShape = isTypedArray(values) ? [flat.length] : inferred;
  }
  return writeTensor(toTypedArray(flat, dt), finalShape, dt);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number | boolean, dtype?: DType): Tensor {
  return filled('full', shape, value, dtype);
}

/** `full` on behalf of `op`, so that errors name the op the user called. */
function filled(op: string, shape: Shape, value: number | boolean, dtype?: DType): Tensor {
  checkShape(shape, op);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ArgumentError(`${op}: value must be a number or a boolean, got ${typeof value}`);
  const dt = dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float32') : checkDType(dtype, op);
  const data = allocArray(dt, sizeOf(shape));
  data.fill(dt === 'bool' ? toBool(value) : dt === 'float16' ? toFloat16Bits(Number(value)) : Number(value));
  return writeTensor(data, shape, dt);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/** Zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, t.dtype);
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, t.dtype);
}

/**
 * Evenly spaced values in [start, stop) by `step` (NumPy's arange). With one argument, counts from 0.
 * @example arange(5) // [0,1,2,3,4]
 */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  let lo = start;
  let hi = stop;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  for (const [name, v] of [['start', lo], ['stop', hi], ['step', step]] as const) {
    if (!Number.isFinite(v)) throw new ArgumentError(`arange: ${name} must be a finite number, got ${v}`);
  }
  if (step === 0) throw new ArgumentError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocArray(checkDType(dtype, 'arange'), n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return writeTensor(data, [n], dtype);
}

/** `num` evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  for (const [arg, v] of [['start', start], ['stop', stop]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`linspace: ${arg} must be a finite number, got ${String(v)}`);
  }
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`linspace: num must be a non-negative integer, got ${num}`);
  const data = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return writeTensor(data, [num], 'float32');
}

/** An n×m matrix with ones on the diagonal (m defaults to n). */
export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  checkShape([n, m], 'eye', 'size');
  const data: TypedArray = allocArray(checkDType(dtype, 'eye'), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return writeTensor(data, [n, m], dtype);
}
