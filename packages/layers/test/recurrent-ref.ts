/**
 * Float64 references of PyTorch's recurrent layers, written as direct loops from PyTorch's
 * formulas (independent of the layers' code): each batch element's sequence is run on its own,
 * only over its valid length, the backward direction from that length's last step.
 */
import { reference } from '@scratchnet/core/testing';
import type { NDArray } from './ref-types.js';

/** The cell kind. */
export type RefMode = 'tanh' | 'relu' | 'lstm' | 'gru';

/** The layer's configuration, as the reference needs it. */
export interface RefSpec {
  mode: RefMode;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  /** Parameter names in the layer's namedParameters() order. */
  paramNames: readonly string[];
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** W·v + b for a row-major W [rows, cols] at a row offset. */
function affine(w: NDArray, b: NDArray | undefined, v: ArrayLike<number>, rows: number): Float64Array {
  const cols = v.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b ? b.data[r]! : 0;
    for (let j = 0; j < cols; j++) s += w.data[r * cols + j]! * v[j]!;
    out[r] = s;
  }
  return out;
}

/** One step of a cell from PyTorch's equations. */
export function refCellStep(
  mode: RefMode, x: ArrayLike<number>, h: Float64Array, c: Float64Array | null, H: number,
  p: { wih: NDArray; whh: NDArray; bih?: NDArray; bhh?: NDArray },
): { h: Float64Array; c: Float64Array | null } {
  const gates = mode === 'lstm' ? 4 : mode === 'gru' ? 3 : 1;
  const gi = affine(p.wih, p.bih, x, gates * H);
  const gh = affine(p.whh, p.bhh, h, gates * H);
  const hn = new Float64Array(H);
  if (mode === 'tanh' || mode === 'relu') {
    for (let k = 0; k < H; k++) {
      const a = gi[k]! + gh[k]!;
      hn[k] = mode === 'tanh' ? Math.tanh(a) : Math.max(0, a);
    }
    return { h: hn, c: null };
  }
  if (mode === 'lstm') {
    const cn = new Float64Array(H);
    for (let k = 0; k < H; k++) {
      const i = sig(gi[k]! + gh[k]!);
      const f = sig(gi[H + k]! + gh[H + k]!);
      const g = Math.tanh(gi[2 * H + k]! + gh[2 * H + k]!);
      const o = sig(gi[3 * H + k]! + gh[3 * H + k]!);
      cn[k] = f * c![k]! + i * g;
      hn[k] = o * Math.tanh(cn[k]!);
    }
    return { h: hn, c: cn };
  }
  for (let k = 0; k < H; k++) {
    const r = sig(gi[k]! + gh[k]!);
    const z = sig(gi[H + k]! + gh[H + k]!);
    const n = Math.tanh(gi[2 * H + k]! + r * gh[2 * H + k]!);
    hn[k] = (1 - z) * n + z * h[k]!;
  }
  return { h: hn, c: null };
}

/**
 * The whole layer: returns [output, hN] (and cN for LSTM) as PyTorch shapes them. `rest` holds the
 * parameters in spec.paramNames order, then h0 and (LSTM) c0 when `withState`.
 */
export function refRecurrent(spec: RefSpec, x: NDArray, rest: readonly NDArray[], withState: boolean, lengths?: readonly number[]): NDArray[] {
  const { hiddenSize: H, numLayers } = spec;
  const D = spec.bidirectional ? 2 : 1;
  const params = new Map(spec.paramNames.map((n, i) => [n, rest[i]!]));
  const h0 = withState ? rest[spec.paramNames.length] : undefined;
  const c0 = withState && spec.mode === 'lstm' ? rest[spec.paramNames.length + 1] : undefined;
  const unbatched = x.shape.length === 2;
  const T = unbatched ? x.shape[0]! : spec.batchFirst ? x.shape[1]! : x.shape[0]!;
  const B = unbatched ? 1 : spec.batchFirst ? x.shape[0]! : x.shape[1]!;
  const I = spec.inputSize;
  const at = (t: number, b: number): number => (unbatched ? t : spec.batchFirst ? b * T + t : t * B + b);
  let layerIn: Float64Array[][] = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => x.data.subarray(at(t, b) * I, at(t, b) * I + I)));
  const hN = new Float64Array(numLayers * D * B * H);
  const cN = new Float64Array(numLayers * D * B * H);
  for (let l = 0; l < numLayers; l++) {
    const layerOut = Array.from({ length: B }, () => Array.from({ length: T }, () => new Float64Array(D * H)));
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const p = { wih: params.get(`weight_ih${sfx}`)!, whh: params.get(`weight_hh${sfx}`)!, bih: params.get(`bias_ih${sfx}`), bhh: params.get(`bias_hh${sfx}`) };
      const k = l * D + d;
      for (let b = 0; b < B; b++) {
        const len = lengths?.[b] ?? T;
        const off = (k * B + b) * H;
        let h: Float64Array = h0 ? Float64Array.from(h0.data.subarray(off, off + H)) : new Float64Array(H);
        let c: Float64Array | null = spec.mode === 'lstm' ? (c0 ? Float64Array.from(c0.data.subarray(off, off + H)) : new Float64Array(H)) : null;
        for (let s = 0; s < len; s++) {
          const t = d === 0 ? s : len - 1 - s;
          ({ h, c } = refCellStep(spec.mode, layerIn[b]![t]!, h, c, H, p));
          layerOut[b]![t]!.set(h, d * H);
        }
        hN.set(h, off);
        if (c) cN.set(c, off);
      }
    }
    layerIn = layerOut;
  }
  const out = new Float64Array(T * B * D * H);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out.set(layerIn[b]![t]!, at(t, b) * D * H);
  const outShape = unbatched ? [T, D * H] : spec.batchFirst ? [B, T, D * H] : [T, B, D * H];
  const stateShape = unbatched ? [numLayers * D, H] : [numLayers * D, B, H];
  const result = [reference.nd(outShape, out), reference.nd(stateShape, hN)];
  if (spec.mode === 'lstm') result.push(reference.nd(stateShape, cN));
  return result;
}
