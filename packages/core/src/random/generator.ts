import { ArgumentError } from '../errors.js';
import { activeRecorder } from '../engine/recording.js';
import { philoxBlock } from './philox.js';

const TWO_POW_MINUS_24 = 1 / 16777216;

/**
 * A seeded, splittable random generator built on Philox-4x32-10. The same seed gives the same
 * numbers everywhere (numbers are made on the host, then written to whichever backend is active).
 * `split()` derives independent child generators, as in JAX.
 */
export class RandomGenerator {
  private readonly k0: number;
  private readonly k1: number;
  /** Blocks drawn so far (the counter). */
  private counter = 0;
  private readonly block = new Uint32Array(4);

  /** @param seed an integer; the same seed always gives the same stream. */
  constructor(seed: number, k1?: number) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ArgumentError(`RandomGenerator: seed must be a finite number, got ${String(seed)}`);
    const s = Math.trunc(seed);
    this.k0 = s >>> 0;
    this.k1 = k1 ?? (Math.floor(s / 4294967296) >>> 0) ^ 0x5eed;
  }

  /** The next 4 raw 32-bit words. */
  private nextBlock(): Uint32Array {
    const c = this.counter++;
    philoxBlock(this.k0, this.k1, c >>> 0, Math.floor(c / 4294967296) >>> 0, 0, 0, this.block);
    return this.block;
  }

  /** `n` uniform 32-bit unsigned integers. */
  uint32(n: number): Uint32Array {
    activeRecorder()?.randomDraw(replaying !== null);
    if (replaying) {
      const draw = replaying.draws[replaying.next++];
      if (!draw || draw.generator !== this || draw.count !== n) {
        throw new Error('checkpoint: internal error: the recomputed forward drew random numbers differently from the first run');
      }
      const now = this.counter;
      this.counter = draw.counter;
      try {
        return this.draw(n);
      } finally {
        this.counter = now;
      }
    }
    recording?.push({ generator: this, counter: this.counter, count: n });
    return this.draw(n);
  }

  private draw(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i += 4) {
      const b = this.nextBlock();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = b[j]!;
    }
    return out;
  }

  /** `n` uniform floats in [0, 1) with 24 random bits each (exactly representable in float32). */
  uniform(n: number): Float64Array {
    const bits = this.uint32(n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (bits[i]! >>> 8) * TWO_POW_MINUS_24;
    return out;
  }

  /** `n` standard normal numbers (Box–Muller over pairs of uniforms). */
  normal(n: number): Float64Array {
    const u = this.uniform(n + (n % 2));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - u[i]!; // (0, 1]: log is finite
      const u2 = u[i + 1]!;
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return out;
  }

  /** `n` standard normal numbers, redrawing any beyond ±2 (the truncated normal of TF and Keras). */
  truncatedNormal(n: number): Float64Array {
    const out = new Float64Array(n);
    let filled = 0;
    while (filled < n) {
      const batch = this.normal(Math.max(8, n - filled));
      for (let i = 0; i < batch.length && filled < n; i++) {
        const v = batch[i]!;
        if (v >= -2 && v <= 2) out[filled++] = v;
      }
    }
    return out;
  }

  /** Derives `count` independent child generators; this generator's own stream moves on too. */
  split(count = 2): RandomGenerator[] {
    const children: RandomGenerator[] = [];
    for (let i = 0; i < count; i++) {
      const b = this.nextBlock();
      children.push(new RandomGenerator(b[0]! ^ (b[2]! << 1), (b[1]! ^ b[3]!) >>> 0));
    }
    return children;
  }
}

/** One call of `uint32` made while recording: which generator, from which counter, how many words. */
export interface RandomDraw {
  readonly generator: RandomGenerator;
  readonly counter: number;
  readonly count: number;
}

let recording: RandomDraw[] | null = null;
let replaying: { readonly draws: readonly RandomDraw[]; next: number } | null = null;

/**
 * Runs `fn`, noting every random draw it makes (any generator), so that {@link replayRandomDraws}
 * can later give a rerun of `fn` the same numbers: what activation checkpointing needs to recompute
 * a forward pass with the same dropout masks. Draws made while replaying are not recorded.
 */
export function recordRandomDraws<R>(fn: () => R): { result: R; draws: RandomDraw[] } {
  const saved = recording;
  const draws: RandomDraw[] = [];
  recording = draws;
  try {
    return { result: fn(), draws };
  } finally {
    recording = saved;
    saved?.push(...draws);
  }
}

/** Whether random draws are being replayed now (a checkpointed forward pass recomputed). */
export function replayingRandomDraws(): boolean {
  return replaying !== null;
}

/** Runs `fn` giving its random draws, in order, the numbers of `draws`; the generators' own positions are left as they were. */
export function replayRandomDraws<R>(draws: readonly RandomDraw[], fn: () => R): R {
  const saved = replaying;
  const savedRecording = recording;
  replaying = { draws, next: 0 };
  recording = null;
  try {
    return fn();
  } finally {
    replaying = saved;
    recording = savedRecording;
  }
}

let globalGenerator = new RandomGenerator(Date.now() % 2147483647);

/** Reseeds the generator used when an op is given no seed. */
export function setGlobalSeed(seed: number): void {
  globalGenerator = new RandomGenerator(seed);
}

/** A generator for an op's `seed` option: a generator itself, a fresh one from a number, or the global one. */
export function generatorFor(seed: number | RandomGenerator | undefined): RandomGenerator {
  if (seed instanceof RandomGenerator) return seed;
  if (seed === undefined) return globalGenerator;
  return new RandomGenerator(seed);
}
