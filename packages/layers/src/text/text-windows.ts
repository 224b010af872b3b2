import { ArgumentError, tensor } from '@scratchnet/core';
import { shuffledIndices, type Batch, type BatchOptions, type BatchSource } from '../data/dataset.js';

/**
 * Next-token training windows over a token stream: sample i is x = ids[i .. i+T) and y = ids[i+1 ..
 * i+T+1) (T = contextLength), both int32 [T], so a batch is x, y of [batch, T]. Windows are cut when
 * a batch is made, never stored, so a long corpus costs only its ids. Shuffling is seeded.
 */
export class TextWindows implements BatchSource {
  private readonly ids: Int32Array;
  /** Number of windows. */
  readonly size: number;

  constructor(ids: ArrayLike<number>, readonly contextLength: number) {
    if (!Number.isInteger(contextLength) || contextLength < 1) throw new ArgumentError(`TextWindows: contextLength must be a positive integer, got ${contextLength}`);
    if (ids.length < contextLength + 1) throw new ArgumentError(`TextWindows: ${ids.length} tokens make no window of ${contextLength} + 1 tokens`);
    this.ids = Int32Array.from(ids);
    this.size = this.ids.length - contextLength;
  }

  batchCount(batchSize: number, dropLast = false): number {
    return dropLast ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  *batches(batchSize: number, options: BatchOptions = {}): Generator<Batch> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`TextWindows.batches: batchSize must be a positive integer, got ${batchSize}`);
    const order = options.shuffle ? shuffledIndices(this.size, options.seed) : null;
    const t = this.contextLength;
    const count = this.batchCount(batchSize, options.dropLast);
    for (let b = 0; b < count; b++) {
      const n = Math.min(batchSize, this.size - b * batchSize);
      const x = new Int32Array(n * t);
      const y = new Int32Array(n * t);
      for (let i = 0; i < n; i++) {
        const start = order ? order[b * batchSize + i]! : b * batchSize + i;
        x.set(this.ids.subarray(start, start + t), i * t);
        y.set(this.ids.subarray(start + 1, start + t + 1), i * t);
      }
      yield { x: tensor(x, [n, t], 'int32'), y: tensor(y, [n, t], 'int32'), size: n };
    }
  }

  /** Splits into two: the windows of the first `fraction` of the stream, and those of the rest (no window straddles the cut). */
  split(fraction: number): [TextWindows, TextWindows] {
    if (!(fraction > 0 && fraction < 1)) throw new ArgumentError(`TextWindows.split: fraction must be in (0, 1), got ${fraction}`);
    const cut = Math.round(this.ids.length * fraction);
    return [new TextWindows(this.ids.subarray(0, cut), this.contextLength), new TextWindows(this.ids.subarray(cut), this.contextLength)];
  }
}
