import { describe, expect, it, vi } from 'vitest';
import { UNARY_OPS, type TypedArray } from '@scratchnet/core';
import { SuiteRng, randomFusedProgram } from '@scratchnet/core/testing';
import { fusedKernel } from './fused.js';

/** The bits of each element, every NaN as one value (V8 keeps a NaN's sign only in optimised code, in every kernel alike). */
const bits = (a: TypedArray): number[] =>
  a instanceof Float32Array ? Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b)) : Array.from(a);

describe('fused elementwise kernel (js)', () => {
  it('gives the generated loops\' bits when interpreted (the Content-Security-Policy fallback)', () => {
    const rng = new SuiteRng(14);
    for (let k = 0; k < 120; k++) {
      const op = UNARY_OPS[k % UNARY_OPS.length]!;
      const { program, inputs } = randomFusedProgram(rng, { kind: 'unary', op });
      const generated = fusedKernel(program, inputs, 'codegen');
      const interpreted = fusedKernel(program, inputs, 'interpret');
      expect(interpreted.map(bits), JSON.stringify(program)).toEqual(generated.map(bits));
    }
  });

  it('broadcasts inputs through per-input strides and writes several outputs', () => {
    const program = {
      inputs: [{ shape: [2, 1], dtype: 'float32' as const }, { shape: [3], dtype: 'float32' as const }],
      outShape: [2, 3],
      instructions: [
        { kind: 'binary' as const, op: 'mul' as const, args: [0, 1] as const, dtype: 'float32' as const },
        { kind: 'binary' as const, op: 'greater' as const, args: [2, 1] as const, dtype: 'bool' as const },
      ],
      outputs: [2, 3, 0],
    };
    const [prod, gt, a] = fusedKernel(program, [new Float32Array([2, -1]), new Float32Array([1, 2, 3])]);
    expect(Array.from(prod!)).toEqual([2, 4, 6, -1, -2, -3]);
    expect(gt).toBeInstanceOf(Uint8Array);
    expect(Array.from(gt!)).toEqual([1, 1, 1, 0, 0, 0]);
    expect(Array.from(a!)).toEqual([2, 2, 2, -1, -1, -1]);
  });

  it('rounds every step to float32 as the unfused kernels do', () => {
    // (x · 3) / 3 in float32 differs from the double-precision chain for this x.
    const x = Math.fround(0.1);
    const program = {
      inputs: [{ shape: [1], dtype: 'float32' as const }], outShape: [1],
      instructions: [
        { kind: 'const' as const, value: 3, dtype: 'float32' as const },
        { kind: 'binary' as const, op: 'mul' as const, args: [0, 1] as const, dtype: 'float32' as const },
        { kind: 'binary' as const, op: 'div' as const, args: [2, 1] as const, dtype: 'float32' as const },
      ],
      outputs: [3],
    };
    const [out] = fusedKernel(program, [new Float32Array([x])]);
    expect(out![0]).toBe(Math.fround(Math.fround(x * 3) / 3));
  });

  it('falls back to the interpreter, once detected, where new Function throws (a Content Security Policy)', async () => {
    vi.resetModules();
    let attempts = 0;
    vi.stubGlobal('Function', function forbidden(): never {
      attempts++;
      throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed');
    });
    try {
      const fresh = await import('./fused.js');
      const { program, inputs } = randomFusedProgram(new SuiteRng(3), { kind: 'binary', op: 'pow' });
      const twice = [fresh.fusedKernel(program, inputs), fresh.fusedKernel(program, inputs)];
      vi.unstubAllGlobals();
      const generated = fusedKernel(program, inputs, 'codegen');
      expect(twice[0]!.map(bits)).toEqual(generated.map(bits));
      expect(twice[1]!.map(bits)).toEqual(generated.map(bits));
      expect(attempts).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
