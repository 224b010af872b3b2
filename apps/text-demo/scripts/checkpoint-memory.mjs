#!/usr/bin/env node
/**
 * Activation checkpointing on the default GPT (4 layers, 4 heads, width 128, context 64, batch 32):
 * the peak of live tensor bytes during a training step (core's `memory().peakBytes`) and the time of one
 * step, with and without `checkpoint`, on the backend named by the first argument
 * (default wasm). The gradients are the same either way (tested in @scratchnet/layers).
 *
 *   node scripts/checkpoint-memory.mjs [js|wasm|webgpu]
 */
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import '@scratchnet/backend-webgpu';
import { memory, reshape, resetPeakMemory, setBackend, tensor, variableGrads, dispose } from '@scratchnet/core';
import { CrossEntropyLoss, GPT } from '@scratchnet/layers';

const backend = process.argv[2] ?? 'wasm';
await setBackend(backend);
const vocab = 28;
const ids = tensor(Int32Array.from({ length: 32 * 64 }, (_, i) => (i * 7) % vocab), [32, 64], 'int32');
const targets = tensor(Int32Array.from({ length: 32 * 64 }, (_, i) => (i * 7 + 1) % vocab), [32, 64], 'int32');
const ce = new CrossEntropyLoss();

for (const checkpoint of [false, true]) {
  const model = new GPT(vocab, { seed: 1, checkpoint });
  const params = model.parameters();
  const before = memory().numBytes;
  let peak = 0;
  let millis = 0;
  for (let step = 0; step < 3; step++) {
    const started = performance.now();
    resetPeakMemory();
    const { value, grads } = variableGrads(() => ce.forward(reshape(model.forward(ids), [-1, vocab]), reshape(targets, [-1])), params);
    await value.data();
    peak = Math.max(peak, memory().peakBytes - before);
    dispose([value, ...grads.values()]);
    if (step > 0) millis += performance.now() - started;
  }
  console.log(`${backend} GPT ${model.parameterCount().toLocaleString('en-US')} parameters, checkpoint ${checkpoint ? 'on ' : 'off'}: ${(peak / 2 ** 20).toFixed(1)} MiB peak during a step (beyond the weights), ${(millis / 2).toFixed(0)} ms per step`);
  model.dispose();
}
