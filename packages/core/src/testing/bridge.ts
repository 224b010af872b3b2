import * as sn from '../index.js';
import type { Tensor } from '../index.js';
import type { Layout } from './cases/types.js';
import { fromFn, sizeOfShape, unravel, ravel, type NDArray, type RefDType } from './reference/ndarray.js';
import { inversePerm, refTranspose } from './reference/layout.js';
import { refSlice } from './reference/slicing.js';

/** A core tensor holding exactly an NDArray's values (which the generators already rounded to the dtype). */
export function toTensor(x: NDArray): Tensor {
  const shape = [...x.shape];
  switch (x.dtype) {
    case 'float32': return sn.tensor(Float32Array.from(x.data), shape, 'float32');
    case 'float16': return sn.tensor(Float32Array.from(x.data), shape, 'float16');
    case 'int32': return sn.tensor(Int32Array.from(x.data), shape, 'int32');
    case 'bool': return sn.tensor(Uint8Array.from(x.data), shape, 'bool');
  }
}

/** Reads a core tensor back into an NDArray. */
export async function fromTensor(t: Tensor): Promise<NDArray> {
  const data = await t.data();
  return { shape: [...t.shape], dtype: t.dtype, data: Float64Array.from(data) };
}

/** How an input reaches the op: the physical data handed to core, the view core applies, and the map of a logical array into physical space. */
export interface Placement {
  readonly physical: NDArray;
  /** Core ops that turn the physical tensor into the logical input (transpose or slice), or identity. */
  readonly view: (t: Tensor) => Tensor;
  /** Maps a logical-shaped array (e.g. an expected gradient) to the physical layout, zeros outside the view. */
  readonly toPhysical: (g: NDArray) => NDArray;
  /** Maps a physical-shaped array back to the logical input (the cells the view reads). */
  readonly toLogical: (g: NDArray) => NDArray;
  readonly describe: string;
}

function junkValue(dtype: RefDType): number {
  return dtype === 'float32' ? 12345.5 : dtype === 'int32' ? 777 : 1;
}

/** Places a logical input in the requested layout (rank-0 inputs stay contiguous; 'transposed' needs rank ≥ 2). */
export function place(x: NDArray, layout: Layout = 'contiguous'): Placement {
  const r = x.shape.length;
  if (layout === 'transposed' && r >= 2) {
    // Rotate the axes: physical axis 0 holds the logical last axis.
    const perm = [r - 1, ...Array.from({ length: r - 1 }, (_, i) => i)];
    const inv = inversePerm(perm);
    return {
      physical: refTranspose(x, perm),
      view: (t) => sn.transpose(t, inv),
      toPhysical: (g) => refTranspose(g, perm),
      toLogical: (g) => refTranspose(g, inv),
      describe: `transpose(perm [${inv.join(',')}]) of a [${perm.map((a) => x.shape[a]).join(',')}] tensor`,
    };
  }
  if (layout === 'sliced' && r >= 1) {
    const big = x.shape.map((d) => d + 3);
    const begin = x.shape.map(() => 1);
    const embed = (g: NDArray, fill: number): NDArray =>
      fromFn(big, g.dtype, (flat) => {
        const idx = unravel(flat, big).map((v) => v - 1);
        return idx.every((v, i) => v >= 0 && v < g.shape[i]!) ? g.data[ravel(idx, g.shape)]! : fill;
      });
    return {
      physical: embed(x, junkValue(x.dtype)),
      view: (t) => sn.slice(t, begin, [...x.shape]),
      toPhysical: (g) => embed(g, 0),
      toLogical: (g) => refSlice(g, begin, [...x.shape]),
      describe: `slice at [${begin.join(',')}] of a [${big.join(',')}] tensor`,
    };
  }
  return { physical: x, view: (t) => t, toPhysical: (g) => g, toLogical: (g) => g, describe: 'contiguous' };
}

export { sizeOfShape };
