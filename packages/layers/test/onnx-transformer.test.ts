/**
 * ONNX export of the transformer encoder: the exported graph runs in onnxruntime-web (wasm, in
 * Node) and gives ScratchNet's outputs, post-norm and pre-norm, ReLU and GELU, both layouts, with
 * LayerNorm written as opset 17's LayerNormalization or as opset 13 arithmetic.
 */
import '@scratchnet/backend-js';
import { randomNormal, tidy, type Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { largestDifference, runOnnx, useOnnxRuntime } from './onnx-runtime.js';
import {
  LayerNorm, Linear, ONNX_SUPPORTED_MODULES, Sequential, TransformerEncoder, TransformerEncoderLayer, exportOnnx, type Module,
} from '../src/index.js';
import { MultiheadAttention } from '../src/layers/multihead-attention.js';

useOnnxRuntime();

/** Largest |onnxruntime − ScratchNet| over `x` for the model exported at `opsetVersion`. */
async function maxDifference(model: Module, x: Tensor, opsetVersion: number): Promise<number> {
  model.eval();
  const expected = tidy(() => model.forward(x)).dataSync();
  const bytes = exportOnnx(model, { opsetVersion, inputShape: [...x.shape] });
  // Opset 17 writes LayerNorm as one LayerNormalization node; earlier opsets as ReduceMean arithmetic.
  const text = new TextDecoder('latin1').decode(bytes);
  expect(text.includes('LayerNormalization')).toBe(opsetVersion >= 17);
  expect(text.includes('ReduceMean')).toBe(opsetVersion < 17);
  return largestDifference((await runOnnx(bytes, x)).data, expected);
}

describe('exportOnnx of transformer encoders', () => {
  it('lists the sequence modules it converts', () => {
    expect(ONNX_SUPPORTED_MODULES).toEqual(expect.arrayContaining(['LayerNorm', 'TransformerEncoderLayer', 'TransformerEncoder', 'Identity']));
  });

  for (const opset of [13, 17]) {
    it(`a 2-layer post-norm ReLU encoder (sequence first) with a final LayerNorm matches onnxruntime (opset ${opset})`, async () => {
      const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, seed: 1 });
      const model = new TransformerEncoder(layer, 2, { norm: new LayerNorm(8) });
      tidy(() => model.layers.get(1).linear1.weight.assign(randomNormal([16, 8], { seed: 2 }).mul(0.3)));
      const diff = await maxDifference(model, randomNormal([5, 3, 8], { seed: 3 }), opset);
      console.log(`exportOnnx: TransformerEncoder (opset ${opset}), onnxruntime vs ScratchNet: max |difference| ${diff.toExponential(2)}`);
      expect(diff).toBeLessThan(1e-4);
      model.dispose();
    });
  }

  it('a pre-norm GELU encoder layer, batch first, between Linear layers, matches onnxruntime (opset 17)', async () => {
    const model = new Sequential([
      new Linear(6, 12, { seed: 4 }),
      new TransformerEncoderLayer(12, 3, { dimFeedforward: 20, normFirst: true, activation: 'gelu', batchFirst: true, layerNormEps: 1e-4, seed: 5 }),
      new Linear(12, 4, { seed: 6 }),
    ]);
    expect(await maxDifference(model, randomNormal([2, 7, 6], { seed: 7 }), 17)).toBeLessThan(1e-4);
    model.dispose();
  });

  it('refuses modules it cannot write, naming them', () => {
    const mha = new MultiheadAttention(4, 2);
    expect(() => exportOnnx(mha as unknown as Module)).toThrow(/exportOnnx: MultiheadAttention at 'MultiheadAttention' has no ONNX mapping/);
    mha.dispose();
  });
});
