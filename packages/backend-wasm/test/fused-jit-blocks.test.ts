/**
 * The run-time compiled fused programs' input reads (src/fused-jit-reads.ts): per-block broadcasts
 * (a per-channel [1, C, 1, 1] over [N, C, H, W]) in the two-level loop, beside whole, one-element and
 * period inputs, bit for bit the unfused kernels at odd block sizes, C = 1, N = 1, NaN and ±Infinity.
 */
import { describe, expect, it } from 'vitest';
import {
  validateFusedProgram,
  type BinaryOp, type FusedElementwiseProgram, type UnaryOp,
} from '@scratchnet/core';
import { SuiteRng, randomFusedProgram, type FusedFocus } from '@scratchnet/core/testing';
import { compileFused, jitTakes } from '../src/fused-jit.js';
import { inputRead, jitLoop } from '../src/fused-jit-reads.js';
import { threadPair } from './thread-pair.js';
import { both } from './fused-bits.js';



/** Per output, the first index where the fused and unfused bits differ (or their lengths do), else -1: a failure diff of 100k elements would take minutes. */
const differences = ({ fused, plain }: { fused: number[][]; plain: number[][] }): number[] =>
  fused.map((a, j) => {
    const b = plain[j]!;
    return a.length !== b.length ? Math.min(a.length, b.length) : a.findIndex((v, i) => v !== b[i]);
  });

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Normal values with NaN, ±Infinity, ±0 and a huge and a tiny value sprinkled in. */
function values(rng: SuiteRng, n: number, special: boolean): Float32Array {
  const out = Float32Array.from({ length: n }, () => rng.normal());
  if (special) {
    const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 3e38, 1e-40];
    for (let i = 0; i < n; i += 5) out[i] = odd[(i / 5) % odd.length]!;
  }
  return out;
}

/** BatchNorm's normalise-scale-shift, (x − mean) · rstd · gamma + beta, with per-channel inputs of shape [1, C, 1, 1]. */
function batchNorm(outShape: readonly number[]): FusedElementwiseProgram {
  const channel = outShape.map((d, i) => (i === 1 ? d : 1));
  return {
    inputs: [{ shape: outShape, dtype: 'float32' }, ...Array.from({ length: 4 }, () => ({ shape: channel, dtype: 'float32' as const }))],
    outShape,
    instructions: [
      { kind: 'binary', op: 'sub', args: [0, 1], dtype: 'float32' },
      { kind: 'const', value: 1e-5, dtype: 'float32' },
      { kind: 'binary', op: 'add', args: [2, 6], dtype: 'float32' },
      { kind: 'unary', op: 'rsqrt', arg: 7 },
      { kind: 'binary', op: 'mul', args: [5, 8], dtype: 'float32' },
      { kind: 'binary', op: 'mul', args: [9, 3], dtype: 'float32' },
      { kind: 'binary', op: 'add', args: [10, 4], dtype: 'float32' },
    ],
    outputs: [11, 5, 8],
  };
}

describe('run-time compiled fused programs: block broadcasts (wasm)', () => {
  const pair = threadPair();

  it('reads each input as whole, one, a period or a block, and refuses other broadcasts', () => {
    expect(inputRead([64, 8, 14, 14], [64, 8, 14, 14])).toEqual({ kind: 'whole' });
    expect(inputRead([1, 1, 1, 1], [64, 8, 14, 14])).toEqual({ kind: 'one' });
    expect(inputRead([1, 8, 1, 1], [64, 8, 14, 14])).toEqual({ kind: 'block', inner: 196, size: 8 });
    expect(inputRead([8, 1, 1], [64, 8, 7, 7])).toEqual({ kind: 'block', inner: 49, size: 8 });
    expect(inputRead([64, 8, 1, 1], [64, 8, 7, 7])).toEqual({ kind: 'block', inner: 49, size: 512 });
    expect(inputRead([64, 1], [64, 10])).toEqual({ kind: 'block', inner: 10, size: 64 });
    expect(inputRead([10], [64, 10])).toEqual({ kind: 'period', size: 10 });
    expect(inputRead([1, 1, 7, 7], [64, 8, 7, 7])).toEqual({ kind: 'period', size: 49 });
    expect(inputRead([1, 8, 1, 1], [64, 8, 1, 1])).toEqual({ kind: 'period', size: 8 }); // size-1 out axes drop out
    expect(inputRead([8, 1, 7], [8, 3, 7])).toBeNull();
    expect(inputRead([8, 1, 1], [64, 8, 3, 7])).toEqual({ kind: 'block', inner: 21, size: 8 });
    expect(inputRead([1, 3, 1], [8, 3, 7])).toEqual({ kind: 'block', inner: 7, size: 3 });
  });

  it('picks the block: the whole output, the inner size of the block inputs, or a period; or none', () => {
    const loop = (out: number[], ...shapes: number[][]): number | 'none' => {
      const plan = jitLoop({ inputs: shapes.map((shape) => ({ shape, dtype: 'float32' })), outShape: out, instructions: [], outputs: [0] });
      return plan === null ? 'none' : plan.block;
    };
    expect(loop([64, 8], [64, 8], [8], [])).toBe(512); // one block: the whole output
    expect(loop([64, 10], [64, 10], [10])).toBe(10); // a period not a multiple of 4: blocks of one period
    expect(loop([64, 8, 7, 7], [64, 8, 7, 7], [1, 8, 1, 1], [8, 1, 1])).toBe(49);
    expect(loop([64, 8, 7, 7], [1, 8, 1, 1], [1, 1, 7, 7])).toBe(49); // the period restarts each block
    expect(loop([64, 10], [64, 1], [10])).toBe(10);
    expect(loop([4, 8, 16], [4, 1, 1], [1, 8, 1])).toBe('none'); // two block sizes
    expect(loop([4, 6, 8], [1, 6, 1], [8])).toBe(8);
    expect(loop([4, 6, 12], [1, 6, 1], [6, 12])).toBe('none'); // a period longer than the block
    expect(loop([4, 6, 12], [4, 1, 1], [1, 6, 12])).toBe(72);
  });

  it('compiles BatchNorm over [N, C, H, W] with per-channel inputs, bit for bit the unfused kernels, at odd block sizes', () => {
    const shapes = [[64, 8, 14, 14], [64, 16, 7, 7], [2, 3, 1, 3], [1, 5, 7, 1], [3, 1, 7, 7], [2, 4, 1, 1], [1, 1, 1, 3], [5, 2, 3, 2], [1, 3, 4, 4]];
    for (const outShape of shapes) {
      const program = batchNorm(outShape);
      expect(jitTakes(program, validateFusedProgram(program)), JSON.stringify(outShape)).toBe(true);
      expect(compileFused(program, pair.st.runtime.memory)).not.toBeNull();
      for (const special of [false, true]) {
        const rng = new SuiteRng(size(outShape));
        const inputs = program.inputs.map((x, k) => {
          const v = values(rng, size(x.shape), special && k !== 2);
          if (k === 2) for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i]!); // a variance
          return v;
        });
        for (const backend of [pair.st, pair.mt]) {
          expect(differences(both(backend, program, inputs)), `${JSON.stringify(outShape)} special ${special}`).toEqual([-1, -1, -1]);
        }
      }
    }
  }, 60_000);

  it('mixes block, whole, one-element, period and constant inputs in one loop', () => {
    const cases: { out: number[]; shapes: number[][] }[] = [
      { out: [3, 4, 7, 7], shapes: [[3, 4, 7, 7], [1, 4, 1, 1], [], [1, 1, 7, 7]] },
      { out: [6, 10], shapes: [[6, 10], [6, 1], [1], [10]] },
      { out: [2, 3, 2, 4], shapes: [[2, 3, 2, 4], [3, 1, 1], [1, 1, 1], [4]] }, // a period of 4 inside blocks of 8
      { out: [5, 1], shapes: [[5, 1], [5, 1], [], [1]] },
      { out: [4, 9], shapes: [[1, 9], [4, 1], [1, 1], [9]] }, // no whole input at all
      { out: [7, 3], shapes: [[7, 3], [3], [], [1, 3]] }, // periods of 3: blocks of 3, no vector lanes
    ];
    for (const { out, shapes } of cases) {
      const program: FusedElementwiseProgram = {
        inputs: shapes.map((shape) => ({ shape, dtype: 'float32' })),
        outShape: out,
        instructions: [
          { kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' },
          { kind: 'binary', op: 'add', args: [4, 2], dtype: 'float32' },
          { kind: 'binary', op: 'maximum', args: [5, 3], dtype: 'float32' },
          { kind: 'const', value: 0.5, dtype: 'float32' },
          { kind: 'binary', op: 'sub', args: [6, 7], dtype: 'float32' },
          { kind: 'unary', op: 'relu', arg: 8 },
          { kind: 'unary', op: 'rsqrt', arg: 1 },
          { kind: 'binary', op: 'div', args: [9, 10], dtype: 'float32' },
        ],
        outputs: [11, 8, 1, 3],
      };
      expect(jitTakes(program, validateFusedProgram(program)), JSON.stringify(shapes)).toBe(true);
      for (const special of [false, true]) {
        const rng = new SuiteRng(7);
        const inputs = program.inputs.map((x) => values(rng, size(x.shape), special));
        expect(differences(both(pair.st, program, inputs)), `${JSON.stringify(shapes)} special ${special}`).toEqual([-1, -1, -1, -1]);
      }
    }
  });

  it('compiles random programs of the steps it knows, rsqrt included, bit for bit the unfused kernels', () => {
    const foci: FusedFocus[] = [
      ...['add', 'sub', 'mul', 'div', 'maximum', 'minimum'].map((op) => ({ kind: 'binary' as const, op: op as BinaryOp })),
      ...['neg', 'abs', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'relu', 'floor'].map((op) => ({ kind: 'unary' as const, op: op as UnaryOp })),
    ];
    const rng = new SuiteRng(4949);
    let compiled = 0;
    let blocks = 0;
    for (let tries = 0; compiled < 80 && tries < 60000; tries++) {
      const { program, inputs } = randomFusedProgram(rng, foci[tries % foci.length]!);
      if (!jitTakes(program, validateFusedProgram(program))) continue;
      compiled++;
      if (jitLoop(program)!.block !== size(program.outShape)) blocks++;
      const { fused, plain } = both(pair.st, program, inputs);
      expect(differences({ fused, plain }), JSON.stringify(program)).toEqual(fused.map(() => -1));
    }
    expect(compiled).toBe(80);
    expect(blocks).toBeGreaterThan(5);
  }, 120_000);
});
