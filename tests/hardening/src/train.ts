/**
 * The MNIST CNN and one training step, as the soak and determinism tests use them: conv 1→8 3×3, ReLU,
 * max-pool 2, conv 8→16 3×3, BatchNorm2D, ReLU, max-pool 2, flatten, linear 400→10, cross-entropy,
 * Adam. Data are seeded random images (values do not matter for leaks or determinism).
 */
import * as sn from '@scratchnet/core';
import { Adam, BatchNorm2D, Conv2D, CrossEntropyLoss, Flatten, Linear, MaxPool2D, ReLU, Sequential } from '@scratchnet/layers';

/** A fresh MNIST CNN whose initial weights depend only on `seed`. */
export function mnistCnn(seed = 1): Sequential {
  return new Sequential([
    new Conv2D(1, 8, 3, { seed }),
    new ReLU(),
    new MaxPool2D(2),
    new Conv2D(8, 16, 3, { seed: seed + 1 }),
    new BatchNorm2D(16),
    new ReLU(),
    new MaxPool2D(2),
    new Flatten(),
    new Linear(16 * 5 * 5, 10, { seed: seed + 2 }),
  ]);
}

/** `count` host batches of `batch` images [batch,1,28,28] and labels, from `seed`. */
export function hostBatches(count: number, batch: number, seed = 7): { x: Float32Array; y: Int32Array }[] {
  const g = new sn.RandomGenerator(seed);
  return Array.from({ length: count }, () => {
    const x = Float32Array.from(g.uniform(batch * 28 * 28));
    const y = Int32Array.from(g.uniform(batch), (u) => Math.min(9, Math.floor(u * 10)));
    return { x, y };
  });
}

/** A model, its loss and optimizer, ready to step. */
export interface Trainer {
  readonly model: Sequential;
  readonly loss: CrossEntropyLoss;
  readonly optimizer: Adam;
  readonly batch: number;
  /** The step through `sn.compile` (recorded once per backend, then replayed), when the trainer is compiled. */
  readonly compiled: sn.CompiledFunction<[sn.Tensor, sn.Tensor], sn.Tensor> | null;
}

export function makeTrainer(seed = 1, batch = 8, compiled = false): Trainer {
  const model = mnistCnn(seed);
  model.train();
  const loss = new CrossEntropyLoss();
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const step = (x: sn.Tensor, y: sn.Tensor): sn.Tensor => sn.tidy(() => {
    const { value: v, grads } = sn.variableGrads(() => loss.forward(model.forward(x), y), model.parameters());
    optimizer.step(grads);
    return v;
  });
  return { model, loss, optimizer, batch, compiled: compiled ? sn.compile(step, { name: 'soak step', key: () => model.training }) : null };
}

/** One training step on host data (uploaded, used and disposed as `fit` does); resolves with the loss. */
export async function trainStep(t: Trainer, data: { x: Float32Array; y: Int32Array }): Promise<number> {
  const x = sn.tensor(data.x, [t.batch, 1, 28, 28]);
  const y = sn.tensor(data.y, [t.batch], 'int32');
  const value = t.compiled ? t.compiled(x, y) : sn.tidy(() => {
    const { value: v, grads } = sn.variableGrads(() => t.loss.forward(t.model.forward(x), y), t.model.parameters());
    t.optimizer.step(grads);
    return v;
  });
  const l = (await value.data())[0]!;
  value.dispose();
  x.dispose();
  y.dispose();
  return l;
}

/** The memory figures the soak watches. */
export interface MemorySample {
  /** Live tensors. */
  tensors: number;
  /** Bytes of live data over all backends. */
  bytes: number;
  /** Per backend: ScratchNet's bytes there. */
  backendBytes: Record<string, number>;
  /** wasm: the heap's extent (bytes), when wasm is initialised. */
  wasmHeap?: number;
  /** webgpu: bytes of GPU buffers allocated (live + pooled), when webgpu is initialised. */
  gpuAllocated?: number;
  /** webgpu: idle bytes in the buffer pool. */
  gpuPooled?: number;
}

export function sampleMemory(): MemorySample {
  const m = sn.memory();
  const s: MemorySample = { tensors: m.numTensors, bytes: m.numBytes, backendBytes: {} };
  for (const [name, info] of Object.entries(m.backends)) {
    s.backendBytes[name] = info.bytes;
    if (name === 'wasm' && info.backend) s.wasmHeap = info.backend.heapBytes;
    if (name === 'webgpu' && info.backend) {
      s.gpuAllocated = info.backend.allocatedBytes;
      s.gpuPooled = info.backend.pooledBytes;
    }
  }
  return s;
}

/**
 * The figures of a soak: at start (before the first step), after warm-up, at the end, and the largest
 * seen in the first and the second half of the steps after warm-up (a heap's high-water mark may move
 * within a run as blocks fragment and merge; a leak shows as a second half above the first).
 */
export interface SoakReport {
  readonly scenario: string;
  readonly steps: number;
  readonly start: MemorySample;
  readonly warm: MemorySample;
  readonly end: MemorySample;
  readonly maxAfterWarm: MemorySample;
  readonly maxEarly: MemorySample;
  readonly maxLate: MemorySample;
  readonly firstLoss: number;
  readonly lastLoss: number;
}

function maxOf(a: MemorySample, b: MemorySample): MemorySample {
  const m = (x?: number, y?: number): number | undefined => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  const backendBytes: Record<string, number> = { ...a.backendBytes };
  for (const [k, v] of Object.entries(b.backendBytes)) backendBytes[k] = Math.max(backendBytes[k] ?? 0, v);
  const out: MemorySample = { tensors: Math.max(a.tensors, b.tensors), bytes: Math.max(a.bytes, b.bytes), backendBytes };
  const heap = m(a.wasmHeap, b.wasmHeap);
  const alloc = m(a.gpuAllocated, b.gpuAllocated);
  const pooled = m(a.gpuPooled, b.gpuPooled);
  if (heap !== undefined) out.wasmHeap = heap;
  if (alloc !== undefined) out.gpuAllocated = alloc;
  if (pooled !== undefined) out.gpuPooled = pooled;
  return out;
}

/**
 * Trains the CNN for `steps` steps, on `backends[0]` or — with `switchEvery` — moving to the next backend
 * of the list every `switchEvery` steps. Samples memory after every step (at the end of every full
 * backend cycle when switching, so the samples compare like with like); `warmup` steps are not judged.
 */
export async function soak(options: {
  scenario: string;
  backends: readonly string[];
  steps: number;
  warmup: number;
  batch: number;
  switchEvery?: number;
  /** Train through `sn.compile` (the replayed step must keep memory flat too). */
  compiled?: boolean;
  onSample?: (step: number, s: MemorySample) => void;
}): Promise<SoakReport> {
  const { backends, steps, warmup, batch, switchEvery } = options;
  await sn.setBackend(backends[0]!);
  const start = sampleMemory();
  const trainer = makeTrainer(1, batch, options.compiled ?? false);
  const data = hostBatches(4, batch);
  const cycle = switchEvery ? switchEvery * backends.length : 1;
  let warm: MemorySample | null = null;
  let maxAfterWarm: MemorySample | null = null;
  let maxEarly: MemorySample | null = null;
  let maxLate: MemorySample | null = null;
  const mid = warmup + Math.ceil((steps - warmup) / 2 / cycle) * cycle;
  let firstLoss = NaN;
  let lastLoss = NaN;
  let current = 0;
  for (let step = 0; step < steps; step++) {
    if (switchEvery && step > 0 && step % switchEvery === 0) {
      current = (current + 1) % backends.length;
      await sn.setBackend(backends[current]!);
      await trainer.model.to(backends[current]!);
    }
    lastLoss = await trainStep(trainer, data[step % data.length]!);
    if (step === 0) firstLoss = lastLoss;
    if ((step + 1) % cycle !== 0) continue;
    const s = sampleMemory();
    options.onSample?.(step + 1, s);
    if (step + 1 === warmup) warm = s;
    else if (step + 1 > warmup) {
      maxAfterWarm = maxAfterWarm ? maxOf(maxAfterWarm, s) : s;
      if (step + 1 <= mid) maxEarly = maxEarly ? maxOf(maxEarly, s) : s;
      else maxLate = maxLate ? maxOf(maxLate, s) : s;
    }
  }
  const end = sampleMemory();
  if (!warm || !maxAfterWarm || !maxEarly || !maxLate) throw new Error(`soak: warm-up ${warmup} must be a multiple of ${cycle} and leave at least two cycles of ${steps} steps`);
  trainer.compiled?.dispose();
  trainer.optimizer.dispose();
  sn.dispose([...trainer.model.parameters(), ...trainer.model.namedBuffers().map(([, b]) => b)]);
  return { scenario: options.scenario, steps, start, warm, end, maxAfterWarm, maxEarly, maxLate, firstLoss, lastLoss };
}
