/**
 * The fused elementwise kernel on 'webgpu', beyond the conformance family: results the shader compiler
 * must not fold away (x − x of Infinity or NaN is NaN), programs binding more storage buffers than a
 * shader may (run unfused), and the pipeline cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FusedElementwiseProgram, FusedInstruction, TensorRef } from '@scratchnet/core';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import { gpuTestsEnabled } from './adapter.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

if (gpuTestsEnabled('fused elementwise: webgpu')) {
  describe('fused elementwise kernel (webgpu)', () => {
    let gpu: WebGpuBackend;
    beforeAll(async () => {
      gpu = await createWebGpuBackend();
    });
    afterAll(() => gpu.shutdown());

    const run = async (program: FusedElementwiseProgram, values: Float32Array[]): Promise<number[][]> => {
      const refs: TensorRef[] = program.inputs.map((x, i) => ({ id: gpu.write(values[i]!, 'float32'), shape: x.shape, dtype: x.dtype }));
      const ids = gpu.fusedElementwise(program, refs);
      const out = await Promise.all(ids.map(async (id) => Array.from(await gpu.read(id))));
      for (const id of [...ids, ...refs.map((r) => r.id)]) gpu.dispose(id);
      return out;
    };

    it('keeps x − x, x / x and x == x of Infinity and NaN as the unfused kernels compute them', async () => {
      const program: FusedElementwiseProgram = {
        inputs: [f32([4])], outShape: [4],
        instructions: [
          { kind: 'binary', op: 'sub', args: [0, 0], dtype: 'float32' },
          { kind: 'binary', op: 'div', args: [0, 0], dtype: 'float32' },
          { kind: 'binary', op: 'equal', args: [0, 0], dtype: 'bool' },
        ],
        outputs: [1, 2, 3],
      };
      const [diff, ratio, same] = await run(program, [new Float32Array([Infinity, NaN, -Infinity, 2])]);
      expect(diff).toEqual([NaN, NaN, NaN, 0]);
      expect(ratio).toEqual([NaN, NaN, NaN, 1]);
      expect(same).toEqual([1, 0, 1, 1]);
    });

    it('runs a program needing more storage buffers than a shader may bind unfused, with the same results', async () => {
      const n = 6;
      const instructions: FusedInstruction[] = [];
      for (let k = 1; k < n; k++) instructions.push({ kind: 'binary', op: 'add', args: [k === 1 ? 0 : n + k - 2, k], dtype: 'float32' });
      const program: FusedElementwiseProgram = {
        inputs: Array.from({ length: n }, () => f32([2])), outShape: [2], instructions, outputs: [n + 1, n + 2, n + 3, n + 4],
      };
      const values = Array.from({ length: n }, (_, k) => new Float32Array([k, 10 * k]));
      const outs = await run(program, values);
      expect(outs).toEqual([[3, 30], [6, 60], [10, 100], [15, 150]]);
    });

    it('compiles one pipeline per program and broadcast walk: contiguous programs reuse it at every size, broadcast ones per shape', async () => {
      const scaled = (len: number): FusedElementwiseProgram => ({
        inputs: [f32([len]), f32([1])], outShape: [len],
        instructions: [{ kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' }, { kind: 'unary', op: 'tanh', arg: 2 }], outputs: [3],
      });
      const squared = (len: number): FusedElementwiseProgram => ({
        inputs: [f32([len])], outShape: [len],
        instructions: [{ kind: 'binary', op: 'mul', args: [0, 0], dtype: 'float32' }, { kind: 'unary', op: 'tanh', arg: 1 }], outputs: [2],
      });
      const pipelines = (): unknown => gpu.info()['pipelines'];
      await run(squared(5), [new Float32Array(5).fill(1)]);
      let before = pipelines();
      const [sq] = await run(squared(7), [new Float32Array(7).fill(0.5)]);
      expect(pipelines()).toBe(before);
      expect(sq!.every((v) => Math.abs(v - Math.tanh(0.25)) < 1e-6)).toBe(true);
      // A broadcast walk is baked into the shader: the same shapes reuse it, another shape compiles one more.
      await run(scaled(5), [new Float32Array(5).fill(1), new Float32Array([2])]);
      before = pipelines();
      await run(scaled(5), [new Float32Array(5).fill(2), new Float32Array([3])]);
      expect(pipelines()).toBe(before);
      const [out] = await run(scaled(7), [new Float32Array(7).fill(0.5), new Float32Array([2])]);
      expect(pipelines()).toBe((before as number) + 1);
      expect(out!.every((v) => Math.abs(v - Math.tanh(1)) < 1e-6)).toBe(true);
    });
  });
}
