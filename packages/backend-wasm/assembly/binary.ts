// Broadcasting float32 binary kernels and a 4-byte `where`, over a flat output range [start, end).
// `meta` holds i32 [shape(rank), strides of each input(rank)...]; the host merges axes first, so the
// last axis is long and its strides are 0 or 1 in the common cases handled with SIMD.
import { powC } from './mathx';
import { at } from './simd';

export const B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_POW = 4, B_MAX = 5, B_MIN = 6;
export const B_EQ = 7, B_NE = 8, B_LT = 9, B_LE = 10, B_GT = 11, B_GE = 12;

// @ts-ignore: decorator
@inline function arith(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case B_ADD: return x + y;
    case B_SUB: return x - y;
    case B_MUL: return x * y;
    case B_DIV: return x / y;
    case B_POW: return <f32>powC(<f64>x, <f64>y);
    case B_MAX: return max(x, y);
    default: return min(x, y);
  }
}

// @ts-ignore: decorator
@inline function arithV(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(x, y);
    case B_SUB: return f32x4.sub(x, y);
    case B_MUL: return f32x4.mul(x, y);
    case B_DIV: return f32x4.div(x, y);
    case B_MAX: return f32x4.max(x, y);
    default: return f32x4.min(x, y);
  }
}

// @ts-ignore: decorator
@inline function compare(op: i32, x: f32, y: f32): u8 {
  switch (op) {
    case B_EQ: return <u8>(x == y);
    case B_NE: return <u8>(x != y);
    case B_LT: return <u8>(x < y);
    case B_LE: return <u8>(x <= y);
    case B_GT: return <u8>(x > y);
    default: return <u8>(x >= y);
  }
}

/** One run of `len` outputs of an arithmetic op; sa / sb are the inputs' element strides along it. */
// @ts-ignore: decorator
@inline function arithRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && op != B_POW) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= len; i += 4) v128.store(at(out, i), arithV(op, v128.load(at(a, i)), v128.load(at(b, i))));
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= len; i += 4) v128.store(at(out, i), arithV(op, v128.load(at(a, i)), vb));
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= len; i += 4) v128.store(at(out, i), arithV(op, va, v128.load(at(b, i))));
    }
  }
  for (; i < len; i++) store<f32>(at(out, i), arith(op, load<f32>(at(a, i * sa)), load<f32>(at(b, i * sb))));
}

function run(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, o: i32, len: i32): void {
  switch (op) {
    case B_ADD: arithRun(B_ADD, a, sa, b, sb, at(out, o), len); break;
    case B_SUB: arithRun(B_SUB, a, sa, b, sb, at(out, o), len); break;
    case B_MUL: arithRun(B_MUL, a, sa, b, sb, at(out, o), len); break;
    case B_DIV: arithRun(B_DIV, a, sa, b, sb, at(out, o), len); break;
    case B_POW: arithRun(B_POW, a, sa, b, sb, at(out, o), len); break;
    case B_MAX: arithRun(B_MAX, a, sa, b, sb, at(out, o), len); break;
    case B_MIN: arithRun(B_MIN, a, sa, b, sb, at(out, o), len); break;
    default: {
      const dst = out + <usize>o;
      for (let i = 0; i < len; i++) store<u8>(dst + <usize>i, compare(op, load<f32>(at(a, i * sa)), load<f32>(at(b, i * sb))));
    }
  }
}

/**
 * out[i] = a[·] op b[·] with broadcasting, for flat output indices [start, end). Arithmetic ops write
 * float32, comparisons write bool bytes. meta = i32 [shape(rank), strides of a(rank), strides of b(rank)].
 */
export function binary(op: i32, rank: i32, meta: usize, a: usize, b: usize, out: usize, start: i32, end: i32): void {
  const shape = meta;
  const stA = meta + <usize>(rank << 2);
  const stB = stA + <usize>(rank << 2);
  const last = rank - 1;
  const inner = load<i32>(shape + <usize>(last << 2));
  const ia = load<i32>(stA + <usize>(last << 2));
  const ib = load<i32>(stB + <usize>(last << 2));
  if (inner <= 0) return;
  let row = start / inner;
  let col = start - row * inner;
  let i = start;
  while (i < end) {
    let offA = col * ia;
    let offB = col * ib;
    let r = row;
    for (let d = last - 1; d >= 0; d--) {
      const dim = load<i32>(shape + <usize>(d << 2));
      const q = r / dim;
      const idx = r - q * dim;
      offA += idx * load<i32>(stA + <usize>(d << 2));
      offB += idx * load<i32>(stB + <usize>(d << 2));
      r = q;
    }
    const len = min(inner - col, end - i);
    run(op, at(a, offA), ia, at(b, offB), ib, out, i, len);
    i += len;
    col = 0;
    row++;
  }
}

/**
 * where for 4-byte elements: out[i] = cond[·] ? a[·] : b[·] with broadcasting, flat range [start, end).
 * meta = i32 [shape(rank), strides of cond, of a, of b].
 */
export function where4(rank: i32, meta: usize, cond: usize, a: usize, b: usize, out: usize, start: i32, end: i32): void {
  const shape = meta;
  const stC = meta + <usize>(rank << 2);
  const stA = stC + <usize>(rank << 2);
  const stB = stA + <usize>(rank << 2);
  const last = rank - 1;
  const inner = load<i32>(shape + <usize>(last << 2));
  const ic = load<i32>(stC + <usize>(last << 2));
  const ia = load<i32>(stA + <usize>(last << 2));
  const ib = load<i32>(stB + <usize>(last << 2));
  if (inner <= 0) return;
  let row = start / inner;
  let col = start - row * inner;
  let i = start;
  while (i < end) {
    let offC = col * ic;
    let offA = col * ia;
    let offB = col * ib;
    let r = row;
    for (let d = last - 1; d >= 0; d--) {
      const dim = load<i32>(shape + <usize>(d << 2));
      const q = r / dim;
      const idx = r - q * dim;
      offC += idx * load<i32>(stC + <usize>(d << 2));
      offA += idx * load<i32>(stA + <usize>(d << 2));
      offB += idx * load<i32>(stB + <usize>(d << 2));
      r = q;
    }
    const len = min(inner - col, end - i);
    const pc = cond + <usize>offC;
    const pa = at(a, offA);
    const pb = at(b, offB);
    const po = at(out, i);
    for (let j = 0; j < len; j++) {
      const v = load<u8>(pc + <usize>(j * ic)) != 0 ? load<i32>(at(pa, j * ia)) : load<i32>(at(pb, j * ib));
      store<i32>(at(po, j), v);
    }
    i += len;
    col = 0;
    row++;
  }
}
