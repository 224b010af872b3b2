import { ArgumentError } from '@scratchnet/core';

/** How the next token is drawn from a row of logits. */
export interface SamplingOptions {
  /** Divides the logits (default 1); 0 picks the most likely token (greedy). */
  temperature?: number;
  /** Keep only the k most likely tokens (ties broken by lower id). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (nucleus sampling), 0 < p ≤ 1. */
  topP?: number;
}

/** Checks sampling options, naming the one at fault. */
export function checkSampling(o: SamplingOptions, where: string): void {
  const { temperature = 1, topK, topP } = o;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new ArgumentError(`${where}: temperature must be a finite number ≥ 0, got ${temperature}`);
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) throw new ArgumentError(`${where}: topK must be a positive integer, got ${topK}`);
  if (topP !== undefined && !(topP > 0 && topP <= 1)) throw new ArgumentError(`${where}: topP must be in (0, 1], got ${topP}`);
}

/**
 * Draws a token id from one row of logits with `uniform()` (a number in [0, 1)): temperature, then
 * top-k, then top-p filtering, then inverse-CDF sampling over the survivors in descending
 * probability order (ties by lower id). NaN logits never win.
 */
export function sampleLogits(logits: ArrayLike<number>, options: SamplingOptions, uniform: () => number): number {
  const n = logits.length;
  if (n === 0) throw new ArgumentError('sampleLogits: logits are empty');
  const { temperature = 1, topK, topP } = options;
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => !Number.isNaN(logits[i]!));
  if (order.length === 0) throw new ArgumentError('sampleLogits: every logit is NaN');
  order.sort((a, b) => logits[b]! - logits[a]! || a - b);
  if (temperature === 0) return order[0]!;
  let kept = topK !== undefined ? order.slice(0, Math.min(topK, order.length)) : order;
  const top = logits[kept[0]!]!;
  const weights = kept.map((i) => Math.exp((logits[i]! - top) / temperature));
  let total = weights.reduce((s, w) => s + w, 0);
  if (topP !== undefined && topP < 1) {
    let mass = 0;
    let cut = 0;
    while (cut < weights.length && mass < topP * total) mass += weights[cut++]!;
    kept = kept.slice(0, Math.max(cut, 1));
    weights.length = kept.length;
    total = weights.reduce((s, w) => s + w, 0);
  }
  let r = uniform() * total;
  for (let j = 0; j < kept.length; j++) {
    r -= weights[j]!;
    if (r < 0) return kept[j]!;
  }
  return kept[kept.length - 1]!;
}
