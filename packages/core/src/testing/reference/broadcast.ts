import { fromFn, sizeOfShape, unravel, type NDArray, type RefDType } from './ndarray.js';

/** NumPy broadcast of any number of shapes (right-aligned; 1 stretches); throws when they do not fit. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const di = s[s.length - rank + i] ?? 1;
      if (di === 1) continue;
      if (d !== 1 && d !== di) throw new Error(`reference: shapes ${shapes.map((x) => `[${x.join(',')}]`).join(' ')} do not broadcast`);
      d = di;
    }
    out.push(d);
  }
  return out;
}

/** The value of `x` seen at output multi-index `outIdx` after broadcasting x to an output of rank outIdx.length. */
export function broadcastRead(x: NDArray, outIdx: readonly number[]): number {
  const offset = outIdx.length - x.shape.length;
  let flat = 0;
  for (let i = 0; i < x.shape.length; i++) {
    const d = x.shape[i]!;
    const j = d === 1 ? 0 : outIdx[offset + i]!;
    flat = flat * d + j;
  }
  return x.data[flat]!;
}

/** Elementwise map over broadcast inputs. */
export function mapBroadcast(inputs: readonly NDArray[], dtype: RefDType, f: (...vals: number[]) => number): NDArray {
  const shape = broadcastShape(...inputs.map((x) => x.shape));
  return fromFn(shape, dtype, (i) => {
    const idx = unravel(i, shape);
    return f(...inputs.map((x) => broadcastRead(x, idx)));
  });
}

/** broadcastTo(x, shape). */
export function refBroadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  const got = broadcastShape(x.shape, shape);
  if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
    throw new Error(`reference: cannot broadcast [${x.shape.join(',')}] to [${shape.join(',')}]`);
  }
  return fromFn(shape, x.dtype, (i) => broadcastRead(x, unravel(i, shape)));
}

export { sizeOfShape };
