import { ArgumentError, RandomGenerator, ShapeError, fmtShape, tensor, type DType, type Tensor } from '@scratchnet/core';

/** Host-side array data with its shape: what a data set is made of. */
export interface HostArray {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  /** float32 by default; int32 for class labels. */
  readonly dtype?: DType;
}

/** One batch of inputs and targets, on the active backend. The caller disposes them. */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
  /** Number of samples in the batch. */
  readonly size: number;
}

/** Options of {@link TensorDataset.batches}. */
export interface BatchOptions {
  /** Visit samples in a random order (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle: the same seed gives the same order. */
  seed?: number | RandomGenerator;
  /** Skip a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
}

/**
 * Anything {@link fit} and {@link evaluate} can train or evaluate on: a count of samples and seeded,
 * optionally shuffled batches. {@link TensorDataset} is one; `TextWindows` (next-token windows over a
 * token stream) is another.
 */
export interface BatchSource {
  /** Number of samples. */
  readonly size: number;
  /** Number of batches `batches(batchSize)` yields. */
  batchCount(batchSize: number, dropLast?: boolean): number;
  /** Yields batches of `batchSize` samples, the caller disposing each. */
  batches(batchSize: number, options?: BatchOptions): Iterable<Batch>;
}

/** Whether `v` looks like a {@link BatchSource} (has `batches` and `batchCount`). */
export function isBatchSource(v: unknown): v is BatchSource {
  const o = v as Partial<BatchSource> | null;
  return typeof o === 'object' && o !== null && typeof o.batches === 'function' && typeof o.batchCount === 'function';
}

interface Column {
  data: Float32Array | Int32Array | Uint8Array;
  sampleShape: number[];
  dtype: DType;
}

const isList = (v: unknown): boolean => Array.isArray(v);

function toColumn(a: HostArray, what: string): Column {
  if (!a || !isList(a.shape) || a.shape.length === 0) throw new ShapeError(`TensorDataset: ${what}.shape must be [samples, ...], got ${JSON.stringify(a?.shape)}`);
  const dtype = a.dtype ?? 'float32';
  const per = a.shape.slice(1).reduce((p, d) => p * d, 1);
  if (a.data.length !== a.shape[0]! * per) {
    throw new ShapeError(`TensorDataset: ${what} has ${a.data.length} values, shape ${fmtShape(a.shape)} needs ${a.shape[0]! * per}`);
  }
  const data = dtype === 'float32' ? Float32Array.from(a.data) : dtype === 'int32' ? Int32Array.from(a.data) : Uint8Array.from(a.data);
  return { data, sampleShape: a.shape.slice(1), dtype };
}

/** A permutation of 0..n-1 by Fisher–Yates from a seeded generator. */
export function shuffledIndices(n: number, seed?: number | RandomGenerator): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const gen = seed instanceof RandomGenerator ? seed : new RandomGenerator(seed ?? Date.now());
  const u = gen.uniform(n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i]! * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * Inputs and targets held on the host, served as batches of tensors on whichever backend is
 * active when a batch is made (so a backend switch between epochs just works).
 */
export class TensorDataset implements BatchSource {
  private readonly xs: Column;
  private readonly ys: Column;
  /** Number of samples. */
  readonly size: number;

  constructor(x: HostArray, y: HostArray) {
    this.xs = toColumn(x, 'x');
    this.ys = toColumn(y, 'y');
    if (x.shape[0] !== y.shape[0]) throw new ShapeError(`TensorDataset: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);
    this.size = x.shape[0]!;
  }

  /** Makes a data set from tensors (read back asynchronously, so any backend works). */
  static async fromTensors(x: Tensor, y: Tensor): Promise<TensorDataset> {
    return new TensorDataset({ data: await x.data(), shape: x.shape, dtype: x.dtype }, { data: await y.data(), shape: y.shape, dtype: y.dtype });
  }

  /** Shape of one input sample. */
  get inputShape(): readonly number[] {
    return this.xs.sampleShape;
  }

  /** Number of batches `batches(batchSize)` yields. */
  batchCount(batchSize: number, dropLast = false): number {
    return dropLast ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /** Yields batches of `batchSize` samples (the last may be smaller unless dropLast). */
  *batches(batchSize: number, options: BatchOptions = {}): Generator<Batch> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`TensorDataset.batches: batchSize must be a positive integer, got ${batchSize}`);
    const order = options.shuffle ? shuffledIndices(this.size, options.seed) : null;
    const count = this.batchCount(batchSize, options.dropLast);
    for (let b = 0; b < count; b++) {
      const start = b * batchSize;
      const n = Math.min(batchSize, this.size - start);
      const idx = Array.from({ length: n }, (_, i) => (order ? order[start + i]! : start + i));
      yield { x: gatherRows(this.xs, idx), y: gatherRows(this.ys, idx), size: n };
    }
  }

  /** A data set of the samples at `indices`. */
  subset(indices: ArrayLike<number>): TensorDataset {
    const pick = (c: Column): HostArray => {
      const per = c.sampleShape.reduce((p, d) => p * d, 1);
      const out = new (c.data.constructor as new (n: number) => Float32Array | Int32Array | Uint8Array)(indices.length * per);
      for (let i = 0; i < indices.length; i++) {
        const s = indices[i]!;
        if (!Number.isInteger(s) || s < 0 || s >= this.size) throw new ArgumentError(`TensorDataset.subset: index ${s} is out of range for ${this.size} samples`);
        out.set(c.data.subarray(s * per, (s + 1) * per), i * per);
      }
      return { data: out, shape: [indices.length, ...c.sampleShape], dtype: c.dtype };
    };
    return new TensorDataset(pick(this.xs), pick(this.ys));
  }

  /** Splits into [first, rest] with `fraction` of the samples in the first, after a seeded shuffle. */
  split(fraction: number, seed?: number): [TensorDataset, TensorDataset] {
    if (!(fraction > 0 && fraction < 1)) throw new ArgumentError(`TensorDataset.split: fraction must be in (0, 1), got ${fraction}`);
    const order = shuffledIndices(this.size, seed);
    const cut = Math.round(this.size * fraction);
    return [this.subset(order.subarray(0, cut)), this.subset(order.subarray(cut))];
  }
}

function gatherRows(c: Column, idx: readonly number[]): Tensor {
  const per = c.sampleShape.reduce((p, d) => p * d, 1);
  const out = new (c.data.constructor as new (n: number) => Float32Array | Int32Array | Uint8Array)(idx.length * per);
  idx.forEach((s, i) => out.set(c.data.subarray(s * per, (s + 1) * per), i * per));
  return tensor(out, [idx.length, ...c.sampleShape], c.dtype);
}
