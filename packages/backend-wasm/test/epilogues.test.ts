/**
 * The wasm epilogue kernels (src/epilogues.ts): the kernel, then its program in the same call, in place
 * over the product where the program compiles; bit for bit the kernel followed by the program, with no
 * buffer left behind, and core's errors for a bad call.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, validateFusedProgram,
  type Conv2dInfo, type DataId, type FusedElementwiseProgram, type FusedInstruction, type TensorRef, type TypedArray,
} from '@scratchnet/core';
import { SuiteRng } from '@scratchnet/core/testing';
import { jitTakes } from '../src/fused-jit.js';
import { threadPair } from './thread-pair.js';

/** Each element's bits, every NaN as one value. */
const bits = (a: TypedArray): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b));

const info = (batch: number, inC: number, outC: number, hw: number): Conv2dInfo => ({
  batch, inChannels: inC, inHeight: hw, inWidth: hw, outChannels: outC, outHeight: hw, outWidth: hw,
  kernelHeight: 3, kernelWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 1, padLeft: 1, groups: 1,
});

/** A conv's bias add and relu, the product read whole (input 0) and the bias per channel. */
function biasRelu(outShape: number[], outputs: number[], extra: FusedInstruction[] = []): FusedElementwiseProgram {
  return {
    inputs: [{ shape: outShape, dtype: 'float32' }, { shape: [1, outShape[1]!, 1, 1], dtype: 'float32' }],
    outShape,
    instructions: [{ kind: 'binary', op: 'add', args: [0, 1], dtype: 'float32' }, { kind: 'unary', op: 'relu', arg: 2 }, ...extra],
    outputs,
  };
}

describe('wasm epilogue kernels', () => {
  const pair = threadPair();

  it('conv2dEpilogue gives conv2d then the program, bit for bit, in place or not, leaving no buffer behind', () => {
    for (const backend of [pair.st, pair.mt]) {
      for (const [batch, inC, outC, hw] of [[2, 3, 4, 5], [1, 1, 1, 7], [3, 2, 8, 14]] as const) {
        const g = info(batch, inC, outC, hw);
        const rng = new SuiteRng(batch * 100 + hw);
        const x: TensorRef = { id: backend.write(Float32Array.from({ length: batch * inC * hw * hw }, () => rng.normal()), 'float32'), shape: [batch, inC, hw, hw], dtype: 'float32' };
        const w: TensorRef = { id: backend.write(Float32Array.from({ length: outC * inC * 9 }, () => rng.normal()), 'float32'), shape: [outC, inC, 3, 3], dtype: 'float32' };
        const biasValues = Float32Array.from({ length: outC }, (_, c) => [Number.NaN, Number.POSITIVE_INFINITY, -0.5, 0.25][c % 4]!);
        const bias: TensorRef = { id: backend.write(biasValues, 'float32'), shape: [1, outC, 1, 1], dtype: 'float32' };
        const outShape = [batch, outC, hw, hw];
        const programs = [
          biasRelu(outShape, [3]), // compiled, written over the product
          biasRelu(outShape, [3, 2]), // two outputs: the first computed one in place
          biasRelu(outShape, [0, 3]), // hands the product out: not in place
          biasRelu(outShape, [4], [{ kind: 'unary', op: 'exp', arg: 3 }]), // not compiled: the interpreter
        ];
        expect(programs.map((p) => jitTakes(p, validateFusedProgram(p)))).toEqual([true, true, true, false]);
        for (const program of programs) {
          const before = backend.memory()['buffers'];
          const read = (ids: DataId[]): number[][] => ids.map((id) => {
            const out = bits(backend.readSync(id));
            backend.dispose(id);
            return out;
          });
          const got = read(backend.conv2dEpilogue(x, w, g, program, [bias]));
          const product = backend.conv2d(x, w, g);
          const want = read(backend.fusedElementwise(program, [{ id: product, shape: outShape, dtype: 'float32' }, bias]));
          backend.dispose(product);
          expect(got, JSON.stringify([outShape, program.outputs])).toEqual(want);
          expect(backend.memory()['buffers']).toBe(before);
        }
        for (const t of [x, w, bias]) backend.dispose(t.id);
      }
    }
  });

  it('matmul, pool2d and reduce epilogues match their kernels then the program', () => {
    const b = pair.st;
    const rng = new SuiteRng(5);
    const write = (shape: number[]): TensorRef => ({ id: b.write(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()), 'float32'), shape, dtype: 'float32' });
    const scaleAdd = (outShape: number[], extra: number[]): FusedElementwiseProgram => ({
      inputs: [{ shape: outShape, dtype: 'float32' }, { shape: extra, dtype: 'float32' }],
      outShape,
      instructions: [{ kind: 'const', value: 0.5, dtype: 'float32' }, { kind: 'binary', op: 'mul', args: [0, 2], dtype: 'float32' }, { kind: 'binary', op: 'add', args: [3, 1], dtype: 'float32' }],
      outputs: [4],
    });
    const check = (got: DataId[], product: DataId, program: FusedElementwiseProgram, extra: TensorRef): void => {
      const want = b.fusedElementwise(program, [{ id: product, shape: program.outShape, dtype: 'float32' }, extra]);
      expect(bits(b.readSync(got[0]!))).toEqual(bits(b.readSync(want[0]!)));
      for (const id of [...got, ...want, product]) b.dispose(id);
    };
    const a = write([1, 6, 5]);
    const m = write([1, 5, 7]);
    const bias7 = write([7]);
    const attrs = { transposeA: false, transposeB: false };
    const mp = scaleAdd([6, 7], [7]);
    check(b.matmulEpilogue(a, m, attrs, mp, [bias7]), b.matmul(a, m, attrs), mp, bias7);
    const x = write([2, 3, 8, 8]);
    const pinfo: Conv2dInfo = { ...info(2, 3, 3, 8), outHeight: 4, outWidth: 4, kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0 };
    const bias3 = write([1, 3, 1, 1]);
    const pp = scaleAdd([2, 3, 4, 4], [1, 3, 1, 1]);
    check(b.pool2dEpilogue('max', x, pinfo, pp, [bias3]), b.pool2d('max', x, pinfo), pp, bias3);
    const r = write([4, 9, 3]);
    const row = write([1, 3]);
    const rp = scaleAdd([4, 3], [1, 3]);
    check(b.reduceEpilogue('sum', r, 'float32', rp, [row]), b.reduce('sum', r, 'float32'), rp, row);
    for (const t of [a, m, bias7, x, bias3, r, row]) b.dispose(t.id);
  });

  it('a bad call throws core\'s error naming the kernel and frees the product', () => {
    const b = pair.st;
    const g = info(1, 1, 2, 4);
    const x: TensorRef = { id: b.write(new Float32Array(16).fill(1), 'float32'), shape: [1, 1, 4, 4], dtype: 'float32' };
    const w: TensorRef = { id: b.write(new Float32Array(18).fill(1), 'float32'), shape: [2, 1, 3, 3], dtype: 'float32' };
    const wrongBias: TensorRef = { id: b.write(new Float32Array(3), 'float32'), shape: [1, 3, 1, 1], dtype: 'float32' };
    const before = b.memory()['buffers'];
    expect(() => b.conv2dEpilogue(x, w, g, biasRelu([1, 2, 4, 4], [3]), [wrongBias])).toThrow(ArgumentError);
    expect(() => b.conv2dEpilogue(x, w, g, biasRelu([1, 2, 4, 4], [3]), [wrongBias])).toThrow(/conv2dEpilogue: extra 0/);
    expect(b.memory()['buffers']).toBe(before);
    for (const t of [x, w, wrongBias]) b.dispose(t.id);
  });
});
