import { unaryDef, unaryGradForms, type DType, type TypedArray, type UnaryAttrs, type UnaryGradOp, type UnaryOp } from '@scratchnet/core';
import { allocFor } from '../storage.js';
import { gradLoop, mapLoop, type GradLoop, type MapLoop } from './specialize.js';

/** One specialised loop per op and form, built on first use. */
const loops = new Map<string, MapLoop>();

function loopFor(op: UnaryOp, dtype: DType): MapLoop {
  const key = `${op}|${dtype}`;
  let loop = loops.get(key);
  if (loop === undefined) {
    const def = unaryDef(op);
    let f: (x: number, alpha: number) => number;
    if (def.input === 'bool') f = def.tsBool;
    else if (dtype === 'int32' && def.input === 'numeric') f = def.tsInt;
    else f = def.ts;
    loop = mapLoop(f);
    loops.set(key, loop);
  }
  return loop;
}

/**
 * Elementwise unary kernel: applies core's TypeScript form of `op` for `dtype` (the dtype of both x
 * and the output: float32 forms compute in double precision and round once on store, int32 forms
 * wrap like C, bool forms give 0 / 1).
 */
export function unaryKernel(op: UnaryOp, x: TypedArray, dtype: DType, attrs: UnaryAttrs): TypedArray {
  const out = allocFor(dtype, x.length);
  const def = unaryDef(op);
  const alpha = attrs.alpha ?? ('alpha' in def ? def.alpha : undefined) ?? 0;
  loopFor(op, dtype)(x, out, x.length, alpha);
  return out;
}

/** One specialised derivative loop per op, built on first use. */
const gradLoops = new Map<UnaryGradOp, GradLoop>();

/**
 * Fused unary derivative kernel: dx[i] = core's TypeScript `grad` form of `op` at x[i], y[i], dy[i]
 * (float32 in and out, computed in double precision and rounded once on store).
 */
export function unaryGradKernel(op: UnaryGradOp, x: Float32Array, y: Float32Array, dy: Float32Array, attrs: UnaryAttrs): Float32Array {
  let loop = gradLoops.get(op);
  if (loop === undefined) {
    loop = gradLoop(unaryGradForms(op).ts);
    gradLoops.set(op, loop);
  }
  const def = unaryDef(op);
  const alpha = attrs.alpha ?? ('alpha' in def ? def.alpha : undefined) ?? 0;
  const out = new Float32Array(x.length);
  loop(x, y, dy, out, x.length, alpha);
  return out;
}
