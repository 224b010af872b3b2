/**
 * Float64 references for the sequence layers, written as direct loops over flat arrays (independent
 * of every backend and of the layers' own composition), following PyTorch's definitions.
 */
import { reference } from '@scratchnet/core/testing';
import type { NDArray } from './ref-types.js';

const nd = (shape: readonly number[], data: Float64Array): NDArray => reference.nd(shape, data);
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** (x − mean)/√(var + eps)·w + b over the last `k` axes (biased variance); w, b optional. */
export function refLayerNorm(x: NDArray, k: number, eps: number, w?: NDArray | null, b?: NDArray | null, rms = false): NDArray {
  const inner = size(x.shape.slice(x.shape.length - k));
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < x.data.length; o += inner) {
    let m = 0;
    if (!rms) {
      for (let i = 0; i < inner; i++) m += x.data[o + i]!;
      m /= inner;
    }
    let v = 0;
    for (let i = 0; i < inner; i++) v += (x.data[o + i]! - m) ** 2;
    v /= inner;
    const inv = 1 / Math.sqrt(v + eps);
    for (let i = 0; i < inner; i++) out[o + i] = (x.data[o + i]! - m) * inv * (w ? w.data[i]! : 1) + (b ? b.data[i]! : 0);
  }
  return nd(x.shape, out);
}

/** GroupNorm over [N, C, ...]: each sample's group of C/G channels and all positions. */
export function refGroupNorm(x: NDArray, groups: number, eps: number, w?: NDArray | null, b?: NDArray | null): NDArray {
  const [n, c] = x.shape as [number, number];
  const spatial = size(x.shape.slice(2));
  const per = (c / groups) * spatial;
  const out = new Float64Array(x.data.length);
  for (let s = 0; s < n; s++) {
    for (let g = 0; g < groups; g++) {
      const o = (s * groups + g) * per;
      let m = 0;
      for (let i = 0; i < per; i++) m += x.data[o + i]!;
      m /= per;
      let v = 0;
      for (let i = 0; i < per; i++) v += (x.data[o + i]! - m) ** 2;
      v /= per;
      for (let i = 0; i < per; i++) {
        const ch = g * (c / groups) + Math.floor(i / spatial);
        out[o + i] = ((x.data[o + i]! - m) / Math.sqrt(v + eps)) * (w ? w.data[ch]! : 1) + (b ? b.data[ch]! : 0);
      }
    }
  }
  return nd(x.shape, out);
}

/** x·Wᵀ + b over the last axis; W is [out, in]; `rowOffset` picks rows rowOffset..rowOffset+out of a packed W / b. */
export function refLinear(x: NDArray, w: NDArray, b: NDArray | null, out = w.shape[0]!, rowOffset = 0, biasOffset = rowOffset): NDArray {
  const inF = w.shape[1]!;
  const rows = x.data.length / inF;
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let acc = b ? b.data[biasOffset + o]! : 0;
      for (let i = 0; i < inF; i++) acc += x.data[r * inF + i]! * w.data[(rowOffset + o) * inF + i]!;
      y[r * out + o] = acc;
    }
  }
  return nd([...x.shape.slice(0, -1), out], y);
}

/** Swaps the first two axes of a rank-3 array ([L, N, E] ↔ [N, L, E]). */
export function swap01(x: NDArray): NDArray {
  const [a, b, c] = x.shape as [number, number, number];
  const y = new Float64Array(x.data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < c; k++) y[(j * a + i) * c + k] = x.data[(i * b + j) * c + k]!;
  return nd([b, a, c], y);
}

/** Masks of {@link refAttention}, as functions of (batch, head, query, key). */
export interface RefMasks {
  /** False = this pair may not attend. */
  allowed?: (n: number, h: number, l: number, s: number) => boolean;
  /** Added to the score. */
  additive?: (n: number, h: number, l: number, s: number) => number;
}

/**
 * Attention per batch and head over q [N, H, L, D], k [N, H, S, D], v [N, H, S, Dv]:
 * softmax(q·kᵀ·scale + masks)·v; a row with every key masked gives zero weights.
 */
export function refAttention(q: NDArray, k: NDArray, v: NDArray, masks: RefMasks = {}, scale?: number): { out: NDArray; weights: NDArray } {
  const [n, h, l, d] = q.shape as [number, number, number, number];
  const s = k.shape[2]!;
  const dv = v.shape[3]!;
  const sc = scale ?? 1 / Math.sqrt(d);
  const out = new Float64Array(n * h * l * dv);
  const weights = new Float64Array(n * h * l * s);
  const row = new Float64Array(s);
  for (let b = 0; b < n; b++) {
    for (let hh = 0; hh < h; hh++) {
      const qo = (b * h + hh) * l * d;
      const ko = (b * h + hh) * s * d;
      const vo = (b * h + hh) * s * dv;
      for (let i = 0; i < l; i++) {
        let mx = -Infinity;
        for (let j = 0; j < s; j++) {
          let dot = 0;
          for (let e = 0; e < d; e++) dot += q.data[qo + i * d + e]! * k.data[ko + j * d + e]!;
          let score = dot * sc + (masks.additive ? masks.additive(b, hh, i, j) : 0);
          if (masks.allowed && !masks.allowed(b, hh, i, j)) score = -Infinity;
          row[j] = score;
          mx = Math.max(mx, score);
        }
        const wo = ((b * h + hh) * l + i) * s;
        if (mx === -Infinity) continue;
        let total = 0;
        for (let j = 0; j < s; j++) total += Math.exp(row[j]! - mx);
        for (let j = 0; j < s; j++) weights[wo + j] = Math.exp(row[j]! - mx) / total;
        for (let e = 0; e < dv; e++) {
          let acc = 0;
          for (let j = 0; j < s; j++) acc += weights[wo + j]! * v.data[vo + j * dv + e]!;
          out[((b * h + hh) * l + i) * dv + e] = acc;
        }
      }
    }
  }
  return { out: nd([n, h, l, dv], out), weights: nd([n, h, l, s], weights) };
}

/** [N, L, H·D] → [N, H, L, D]. */
function splitHeads(x: NDArray, heads: number): NDArray {
  const [n, l, e] = x.shape as [number, number, number];
  const d = e / heads;
  const y = new Float64Array(x.data.length);
  for (let b = 0; b < n; b++) for (let i = 0; i < l; i++) for (let hh = 0; hh < heads; hh++) for (let k = 0; k < d; k++) {
    y[((b * heads + hh) * l + i) * d + k] = x.data[(b * l + i) * e + hh * d + k]!;
  }
  return nd([n, heads, l, d], y);
}

/** [N, H, L, D] → [N, L, H·D]. */
function mergeHeads(x: NDArray): NDArray {
  const [n, heads, l, d] = x.shape as [number, number, number, number];
  const y = new Float64Array(x.data.length);
  for (let b = 0; b < n; b++) for (let i = 0; i < l; i++) for (let hh = 0; hh < heads; hh++) for (let k = 0; k < d; k++) {
    y[(b * l + i) * heads * d + hh * d + k] = x.data[((b * heads + hh) * l + i) * d + k]!;
  }
  return nd([n, l, heads * d], y);
}

/** MultiheadAttention's parameters in PyTorch's layout (packed, or separate q/k/v weights). */
export interface RefMhaParams {
  inW?: NDArray;
  qW?: NDArray;
  kW?: NDArray;
  vW?: NDArray;
  inB: NDArray | null;
  outW: NDArray;
  outB: NDArray | null;
}

/** nn.MultiheadAttention on batch-first [N, L, E] / [N, S, kdim] / [N, S, vdim]: output [N, L, E], per-head weights [N, H, L, S]. */
export function refMha(q: NDArray, k: NDArray, v: NDArray, p: RefMhaParams, heads: number, masks: RefMasks = {}): { out: NDArray; weights: NDArray } {
  const e = p.outW.shape[0]!;
  const proj = (x: NDArray, i: number): NDArray => (p.inW ? refLinear(x, p.inW, p.inB, e, i * e) : refLinear(x, [p.qW, p.kW, p.vW][i]!, p.inB, e, 0, i * e));
  const att = refAttention(splitHeads(proj(q, 0), heads), splitHeads(proj(k, 1), heads), splitHeads(proj(v, 2), heads), masks);
  return { out: refLinear(mergeHeads(att.out), p.outW, p.outB), weights: att.weights };
}

/** Mean over axis 1 of [N, H, L, S]. */
export function refHeadMean(w: NDArray): NDArray {
  const [n, h, l, s] = w.shape as [number, number, number, number];
  const y = new Float64Array(n * l * s);
  for (let b = 0; b < n; b++) for (let hh = 0; hh < h; hh++) for (let i = 0; i < l * s; i++) y[b * l * s + i]! += w.data[(b * h + hh) * l * s + i]! / h;
  return nd([n, l, s], y);
}

const addArrays = (a: NDArray, b: NDArray): NDArray => nd(a.shape, a.data.map((x, i) => x + b.data[i]!));

/** The exact (erf) GELU. */
function gelu(x: number): number {
  return reference.gelu(x);
}

/** Parameters of an encoder layer in namedParameters order. */
export interface RefEncoderParams {
  attn: RefMhaParams;
  w1: NDArray;
  b1: NDArray;
  w2: NDArray;
  b2: NDArray;
  n1w: NDArray;
  n1b: NDArray;
  n2w: NDArray;
  n2b: NDArray;
}

/** nn.TransformerEncoderLayer in evaluation (no dropout) on batch-first [N, L, E]. */
export function refEncoderLayer(x: NDArray, p: RefEncoderParams, heads: number, o: { normFirst?: boolean; gelu?: boolean; eps?: number; masks?: RefMasks } = {}): NDArray {
  const eps = o.eps ?? 1e-5;
  const ln = (t: NDArray, w: NDArray, b: NDArray): NDArray => refLayerNorm(t, 1, eps, w, b);
  const sa = (t: NDArray): NDArray => refMha(t, t, t, p.attn, heads, o.masks).out;
  const ff = (t: NDArray): NDArray => {
    const h = refLinear(t, p.w1, p.b1);
    const act = nd(h.shape, h.data.map((z) => (o.gelu ? gelu(z) : Math.max(0, z))));
    return refLinear(act, p.w2, p.b2);
  };
  if (o.normFirst) {
    const h = addArrays(x, sa(ln(x, p.n1w, p.n1b)));
    return addArrays(h, ff(ln(h, p.n2w, p.n2b)));
  }
  const h = ln(addArrays(x, sa(x)), p.n1w, p.n1b);
  return ln(addArrays(h, ff(h)), p.n2w, p.n2b);
}

/** The sinusoidal table [length, d]. */
export function refSinusoid(length: number, d: number): NDArray {
  const y = new Float64Array(length * d);
  for (let pos = 0; pos < length; pos++) {
    for (let i = 0; i < d; i++) {
      const angle = pos / 10000 ** ((2 * Math.floor(i / 2)) / d);
      y[pos * d + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return nd([length, d], y);
}

/** Parameters of a decoder layer in namedParameters order. */
export interface RefDecoderParams extends RefEncoderParams {
  cross: RefMhaParams;
  n3w: NDArray;
  n3b: NDArray;
}

/** nn.TransformerDecoderLayer in evaluation on batch-first tgt [N, T, E] and memory [N, S, E]. */
export function refDecoderLayer(x: NDArray, mem: NDArray, p: RefDecoderParams, heads: number, o: { normFirst?: boolean; tgtMasks?: RefMasks; crossMasks?: RefMasks } = {}): NDArray {
  const ln = (t: NDArray, w: NDArray, b: NDArray): NDArray => refLayerNorm(t, 1, 1e-5, w, b);
  const sa = (t: NDArray): NDArray => refMha(t, t, t, p.attn, heads, o.tgtMasks).out;
  const ca = (t: NDArray): NDArray => refMha(t, mem, mem, p.cross, heads, o.crossMasks).out;
  const ff = (t: NDArray): NDArray => {
    const h = refLinear(t, p.w1, p.b1);
    return refLinear(nd(h.shape, h.data.map((z) => Math.max(0, z))), p.w2, p.b2);
  };
  if (o.normFirst) {
    let h = addArrays(x, sa(ln(x, p.n1w, p.n1b)));
    h = addArrays(h, ca(ln(h, p.n2w, p.n2b)));
    return addArrays(h, ff(ln(h, p.n3w, p.n3b)));
  }
  let h = ln(addArrays(x, sa(x)), p.n1w, p.n1b);
  h = ln(addArrays(h, ca(h)), p.n2w, p.n2b);
  return ln(addArrays(h, ff(h)), p.n3w, p.n3b);
}
