// Broadcasting float32 binary kernels and a 4-byte `where`, over a flat output range [start, end).
// `meta` holds i32 [shape(rank), strides of each input(rank)...]; the host merges axes first, so the
// last axis is long and its strides are 0 or 1 in the common cases handled with SIMD.
import { binaryRun } from './generated/elementwise-dispatch';
import { at } from './simd';

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
    binaryRun(op, at(a, offA), ia, at(b, offB), ib, out, i, len);
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
