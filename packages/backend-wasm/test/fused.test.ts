/**
 * The fused elementwise tile interpreter against the unfused kernels, bit for bit, on programs it takes
 * (the conformance family also runs programs with int32 values, which go unfused here), on one and two
 * threads, across tile and thread boundaries.
 */
import { describe, expect, it } from 'vitest';
import {
  BINARY_OPS, UNARY_OPS, binaryDef, unaryDef, validateFusedProgram,
  type BinaryOp, type FusedElementwiseProgram, type UnaryOp,
} from '@scratchnet/core';
import { SuiteRng, randomFusedProgram, type FusedFocus } from '@scratchnet/core/testing';
import { fusedTile, interpreterTakes, setFusedJit } from '../src/fused.js';
import { compileFused, jitTakes } from '../src/fused-jit.js';
import { threadPair } from './thread-pair.js';
import { both } from './fused-bits.js';


/** The first index where two bit lists differ (or their lengths do), else -1 (deep equality is slow on 200k elements). */
const firstDifference = (a: readonly number[], b: readonly number[]): number =>
  a.length !== b.length ? Math.min(a.length, b.length) : a.findIndex((v, i) => v !== b[i]);


/** The steps the interpreter computes itself: float32 unary ops, arithmetic and comparisons. */
const FOCI: FusedFocus[] = [
  ...UNARY_OPS.filter((op) => unaryDef(op).input !== 'bool').map((op) => ({ kind: 'unary' as const, op })),
  ...BINARY_OPS.filter((op) => binaryDef(op).kind !== 'logical').map((op) => ({ kind: 'binary' as const, op })),
  { kind: 'where' }, { kind: 'cast' }, { kind: 'const' },
];

describe('fused elementwise interpreter (wasm)', () => {
  const pair = threadPair();

  it('matches the unfused kernels bit for bit on random programs it takes, on one and two threads', () => {
    setFusedJit(false);
    try {
      const rng = new SuiteRng(1414);
      let taken = 0;
      for (let tries = 0; taken < 120 && tries < 20000; tries++) {
        const { program, inputs } = randomFusedProgram(rng, FOCI[tries % FOCI.length]!);
        if (!interpreterTakes(program, validateFusedProgram(program))) continue;
        taken++;
        for (const backend of [pair.st, pair.mt]) {
          const { fused, plain } = both(backend, program, inputs);
          expect(fused, JSON.stringify(program)).toEqual(plain);
        }
      }
      expect(taken).toBe(120);
    } finally {
      setFusedJit(true);
    }
  }, 120_000);

  it('compiles the programs it can to WebAssembly, bit for bit the unfused kernels, on one and two threads', () => {
    // Steps the compiler takes, and programs of only those: random ones mostly mix in others.
    const foci: FusedFocus[] = [
      ...['add', 'sub', 'mul', 'div', 'maximum', 'minimum'].map((op) => ({ kind: 'binary' as const, op: op as BinaryOp })),
      ...['neg', 'abs', 'sqrt', 'square', 'reciprocal', 'relu', 'floor', 'ceil', 'trunc', 'round'].map((op) => ({ kind: 'unary' as const, op: op as UnaryOp })),
      { kind: 'const' },
    ];
    const rng = new SuiteRng(2025);
    let compiled = 0;
    for (let tries = 0; compiled < 60 && tries < 40000; tries++) {
      const { program, inputs } = randomFusedProgram(rng, foci[tries % foci.length]!);
      if (!jitTakes(program, validateFusedProgram(program))) continue;
      expect(compileFused(program, pair.st.runtime.memory), JSON.stringify(program)).not.toBeNull();
      compiled++;
      for (const backend of [pair.st, pair.mt]) {
        const { fused, plain } = both(backend, program, inputs);
        expect(fused, JSON.stringify(program)).toEqual(plain);
      }
    }
    expect(compiled).toBe(60);
  }, 120_000);

  it('compiles an optimizer-style program over a scalar and a constant, odd lengths included', () => {
    for (const n of [1, 3, 4, 7, 1001]) {
      const program: FusedElementwiseProgram = {
        inputs: [{ shape: [n], dtype: 'float32' }, { shape: [], dtype: 'float32' }, { shape: [n], dtype: 'float32' }],
        outShape: [n],
        instructions: [
          { kind: 'const', value: 0.9, dtype: 'float32' },
          { kind: 'binary', op: 'mul', args: [0, 3], dtype: 'float32' },
          { kind: 'unary', op: 'square', arg: 2 },
          { kind: 'unary', op: 'sqrt', arg: 5 },
          { kind: 'binary', op: 'div', args: [4, 1], dtype: 'float32' },
          { kind: 'unary', op: 'relu', arg: 7 },
          { kind: 'binary', op: 'sub', args: [8, 6], dtype: 'float32' },
        ],
        outputs: [9, 4, 0],
      };
      expect(jitTakes(program, validateFusedProgram(program))).toBe(true);
      const rng = new SuiteRng(n);
      const values = program.inputs.map((x) => Float32Array.from({ length: x.shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
      const { fused, plain } = both(pair.st, program, values);
      expect(fused).toEqual(plain);
    }
  });

  it('compiles a bias add and relu with the bias repeated along leading axes, and leaves a bias with an inner size-1 axis to the interpreter', () => {
    const cases: [number[], number[], boolean][] = [[[6, 8], [8], true], [[3, 2, 12], [1, 2, 12], true], [[4, 5], [5], true], [[64, 128], [128], true], [[2, 3, 4], [2, 1, 4], false]];
    for (const [outShape, bias, compiles] of cases) {
      const program: FusedElementwiseProgram = {
        inputs: [{ shape: outShape, dtype: 'float32' }, { shape: bias, dtype: 'float32' }, { shape: [], dtype: 'float32' }],
        outShape,
        instructions: [
          { kind: 'binary', op: 'add', args: [0, 1], dtype: 'float32' },
          { kind: 'binary', op: 'mul', args: [3, 2], dtype: 'float32' },
          { kind: 'unary', op: 'relu', arg: 4 },
        ],
        outputs: [5, 1],
      };
      expect(jitTakes(program, validateFusedProgram(program))).toBe(compiles);
      const rng = new SuiteRng(outShape.length);
      const values = program.inputs.map((x) => Float32Array.from({ length: x.shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
      const { fused, plain } = both(pair.st, program, values);
      expect(fused).toEqual(plain);
    }
  });

  it('runs the steps it lacks unfused and the rest fused, bit for bit the unfused kernels', () => {
    // The MLP's cross-entropy gradient: a one-hot mask from int32 labels inside float32 steps.
    const oneHot: FusedElementwiseProgram = {
      inputs: [
        { shape: [6, 10], dtype: 'float32' }, { shape: [6, 1], dtype: 'float32' }, { shape: [6, 1], dtype: 'int32' },
        { shape: [10], dtype: 'int32' }, { shape: [6, 1], dtype: 'float32' },
      ],
      outShape: [6, 10],
      instructions: [
        { kind: 'binary', op: 'sub', args: [0, 1], dtype: 'float32' },
        { kind: 'binary', op: 'equal', args: [2, 3], dtype: 'bool' },
        { kind: 'cast', arg: 6, dtype: 'float32' },
        { kind: 'binary', op: 'mul', args: [7, 4], dtype: 'float32' },
        { kind: 'const', value: 0, dtype: 'float32' },
        { kind: 'binary', op: 'notEqual', args: [8, 9], dtype: 'bool' },
        { kind: 'binary', op: 'mul', args: [5, 8], dtype: 'float32' },
        { kind: 'const', value: 0, dtype: 'float32' },
        { kind: 'where', args: [10, 11, 12] },
      ],
      outputs: [8, 10, 13, 6],
    };
    const infos = validateFusedProgram(oneHot);
    expect(interpreterTakes(oneHot, infos)).toBe(false);
    const rng = new SuiteRng(3);
    const values = oneHot.inputs.map((x) => {
      const n = x.shape.reduce((a, b) => a * b, 1);
      return x.dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => (i * 7) % 10) : Float32Array.from({ length: n }, () => rng.normal());
    });
    const { fused, plain } = both(pair.st, oneHot, values);
    expect(fused).toEqual(plain);
    // Random programs the interpreter does not take whole.
    const rng2 = new SuiteRng(77);
    let split = 0;
    for (let tries = 0; split < 40 && tries < 20000; tries++) {
      const { program, inputs } = randomFusedProgram(rng2, FOCI[tries % FOCI.length]!);
      if (interpreterTakes(program, validateFusedProgram(program))) continue;
      split++;
      for (const backend of [pair.st, pair.mt]) {
        const { fused: f, plain: p } = both(backend, program, inputs);
        expect(f, JSON.stringify(program)).toEqual(p);
      }
    }
    expect(split).toBe(40);
  }, 60_000);

  it('splits a large broadcast program across threads and tiles', () => {
    const cols = 70001;
    const program: FusedElementwiseProgram = {
      inputs: [{ shape: [3, cols], dtype: 'float32' }, { shape: [cols], dtype: 'float32' }, { shape: [3, 1], dtype: 'float32' }],
      outShape: [3, cols],
      instructions: [
        { kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' },
        { kind: 'binary', op: 'add', args: [3, 2], dtype: 'float32' },
        { kind: 'unary', op: 'tanh', arg: 4 },
        { kind: 'binary', op: 'greater', args: [5, 1], dtype: 'bool' },
        { kind: 'where', args: [6, 5, 0] },
      ],
      outputs: [7, 6, 2],
    };
    expect(3 * cols).toBeGreaterThan(2 * fusedTile(program.inputs.length + program.instructions.length));
    const rng = new SuiteRng(7);
    const values = program.inputs.map((x) => Float32Array.from({ length: x.shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
    const st = both(pair.st, program, values);
    const mt = both(pair.mt, program, values);
    expect(st.fused.map((out, j) => firstDifference(out, st.plain[j]!))).toEqual([-1, -1, -1]);
    expect(mt.fused.map((out, j) => firstDifference(out, st.plain[j]!))).toEqual([-1, -1, -1]);
  }, 60_000);

  it('leaves no data or scratch behind', () => {
    const before = pair.st.memory();
    const program: FusedElementwiseProgram = {
      inputs: [{ shape: [5000], dtype: 'float32' }], outShape: [5000],
      instructions: [{ kind: 'unary', op: 'exp', arg: 0 }], outputs: [1],
    };
    both(pair.st, program, [new Float32Array(5000).fill(0.5)]);
    const after = pair.st.memory();
    expect([after['buffers'], after['allocatedBytes']]).toEqual([before['buffers'], before['allocatedBytes']]);
  });
});
