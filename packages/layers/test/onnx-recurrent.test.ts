/**
 * ONNX export of LSTM, GRU and RNN: the exported graph (ONNX LSTM / GRU / RNN operators with the
 * gates reordered from PyTorch's i, f, g, o to ONNX's i, o, f, c and from r, z, n to z, r, h) runs
 * in onnxruntime-web's wasm build and gives ScratchNet's output sequence.
 */
import '@scratchnet/backend-js';
import { randomNormal } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { ort, useOnnxRuntime } from './onnx-runtime.js';
import { GRU, LSTM, ONNX_SUPPORTED_MODULES, RNN, exportOnnx, exportOnnxAsync } from '../src/index.js';

useOnnxRuntime();

/** Largest |onnxruntime − ScratchNet| over the output sequence for input shape `shape`. */
async function maxDifference(lstm: LSTM | GRU | RNN, shape: number[]): Promise<number> {
  lstm.eval();
  const x = randomNormal(shape, { seed: 31 });
  const [y] = lstm.forward(x);
  const expected = y.dataSync();
  const session = await ort.InferenceSession.create(exportOnnx(lstm), { executionProviders: ['wasm'] });
  try {
    const result = await session.run({ input: new ort.Tensor('float32', x.dataSync() as Float32Array, shape) });
    const out = result.output!;
    expect(out.dims).toEqual(y.shape);
    const got = out.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    return worst;
  } finally {
    await session.release();
    x.dispose();
    y.dispose();
  }
}

describe('exportOnnx of recurrent layers', () => {
  it('is listed among the supported modules', () => {
    expect(ONNX_SUPPORTED_MODULES).toEqual(expect.arrayContaining(['LSTM', 'GRU', 'RNN']));
  });

  const cases: { name: string; make: () => LSTM | GRU | RNN; input: number[] }[] = [
    { name: 'one layer', make: () => new LSTM(5, 7, { seed: 1 }), input: [6, 3, 5] },
    { name: 'one layer, bidirectional', make: () => new LSTM(5, 7, { seed: 2, bidirectional: true }), input: [6, 3, 5] },
    { name: 'two layers, bidirectional, batchFirst (dropout is the identity)', make: () => new LSTM(4, 6, { seed: 3, numLayers: 2, bidirectional: true, batchFirst: true, dropout: 0.5 }), input: [3, 5, 4] },
    { name: 'no bias', make: () => new LSTM(3, 4, { seed: 4, bias: false }), input: [4, 2, 3] },
    { name: 'GRU, two layers, bidirectional', make: () => new GRU(5, 6, { seed: 6, numLayers: 2, bidirectional: true }), input: [5, 3, 5] },
    { name: 'GRU, batchFirst, no bias', make: () => new GRU(3, 4, { seed: 7, batchFirst: true, bias: false }), input: [2, 6, 3] },
    { name: 'RNN tanh, bidirectional', make: () => new RNN(4, 5, { seed: 8, bidirectional: true }), input: [6, 2, 4] },
    { name: 'RNN relu, two layers', make: () => new RNN(4, 5, { seed: 9, numLayers: 2, nonlinearity: 'relu' }), input: [6, 2, 4] },
  ];
  for (const c of cases) {
    it(`${c.name.startsWith('GRU') || c.name.startsWith('RNN') ? '' : 'LSTM, '}${c.name}: onnxruntime gives ScratchNet's output within 1e-5`, async () => {
      const lstm = c.make();
      const diff = await maxDifference(lstm, c.input);
      console.log(`exportOnnx (${c.name}): max |onnxruntime − ScratchNet| ${diff.toExponential(2)}`);
      expect(diff).toBeLessThan(1e-5);
      lstm.dispose();
    });
  }

  it('exportOnnxAsync writes the same bytes', async () => {
    const lstm = new LSTM(3, 4, { seed: 5, bidirectional: true });
    expect(await exportOnnxAsync(lstm)).toEqual(exportOnnx(lstm));
    lstm.dispose();
  });
});
