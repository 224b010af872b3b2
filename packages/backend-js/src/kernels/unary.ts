import type { DType, TypedArray, UnaryOp } from '@scratchnet/core';
import { allocFor } from '../storage.js';
import { erf, gelu, roundHalfEven } from '../math.js';

/** Ops that have an exact int32 → int32 form. */
const INT_OPS: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['neg', 'abs', 'sign', 'square', 'relu', 'relu6']);

/**
 * Elementwise unary kernel. int32 inputs of neg / abs / sign / square / relu / relu6 with an int32 output
 * use wrapping integer arithmetic; bool logicalNot flips 0/1; everything else is computed in double
 * precision and stored into an array of `outDtype`.
 * @param alpha leakyRelu's negative slope (default 0.01) and elu's scale (default 1).
 */
export function unaryKernel(op: UnaryOp, x: TypedArray, outDtype: DType, alpha?: number): TypedArray {
  const out = allocFor(outDtype, x.length);
  if (op === 'logicalNot') {
    for (let i = 0; i < x.length; i++) out[i] = x[i] === 0 ? 1 : 0;
    return out;
  }
  if (outDtype === 'int32' && !(x instanceof Float32Array) && INT_OPS.has(op)) {
    intUnary(op, x, out);
    return out;
  }
  floatUnary(op, x, out, alpha);
  return out;
}

function intUnary(op: UnaryOp, x: Int32Array | Uint8Array, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]! | 0;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!) | 0;
      return;
    case 'sign':
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = Math.imul(x[i]!, x[i]!);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i]! < 0 ? 0 : x[i]!;
      return;
    default: // relu6
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v < 0 ? 0 : v > 6 ? 6 : v;
      }
  }
}

function floatUnary(op: UnaryOp, x: TypedArray, out: TypedArray, alpha: number | undefined): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      return;
    case 'sign':
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'expm1':
      for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case 'rsqrt':
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
      return;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]!);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if (v >= 0) {
          out[i] = 1 / (1 + Math.exp(-v));
        } else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'relu':
      // `v < 0 ? 0 : v` lets NaN through, as PyTorch does.
      for (let i = 0; i < n; i++) out[i] = x[i]! < 0 ? 0 : x[i]!;
      return;
    case 'relu6':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v < 0 ? 0 : v > 6 ? 6 : v;
      }
      return;
    case 'leakyRelu': {
      const a = alpha ?? 0.01;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? v : a * v;
      }
      return;
    }
    case 'elu': {
      const a = alpha ?? 1;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? v : a * Math.expm1(v);
      }
      return;
    }
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = gelu(x[i]!);
      return;
    case 'erf':
      for (let i = 0; i < n; i++) out[i] = erf(x[i]!);
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
      }
      return;
    case 'floor':
      for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]!);
      return;
    case 'ceil':
      for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i]!);
      return;
    case 'round':
      for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i]!);
      return;
    case 'logicalNot':
      for (let i = 0; i < n; i++) out[i] = x[i] === 0 ? 1 : 0;
      return;
  }
}
