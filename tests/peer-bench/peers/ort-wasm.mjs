// onnxruntime-web's wasm build as its docs set it up: `env.wasm.numThreads`, `env.wasm.wasmPaths`
// pointing at its dist/, one-node MatMul / Conv graphs, inputs fed and the output read each call.
//
//   node peers/ort-wasm.mjs [--threads 1|2] [--matmul 128,256] [--conv] [--warmup 2] [--repeats 5]
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import { matmulCallsPerRepeat, measure } from '../timing.mjs';
import { CONV_LAYERS } from './conv-layers.mjs';
import { intsAttr, oneNodeModel } from './onnx-model.mjs';
import { emit, fail, parseArgs, say } from './protocol.mjs';

const PEER = 'onnxruntime-web';
const args = parseArgs();
const random = (length) => Float32Array.from({ length }, () => Math.random() - 0.5);

try {
  const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web')).replace(/dist.*$/, 'dist');
  ort.env.wasm.wasmPaths = pathToFileURL(dist).href + '/';
  ort.env.wasm.numThreads = args.threads;
  ort.env.logLevel = 'error';
  const session = (model) => ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const info = { peer: PEER, version: ort.env.versions?.web ?? 'unknown', threads: args.threads };
  say(`${PEER} ${info.version}: wasm, ${args.threads} thread(s)`);
  const matmul = [];
  for (const n of args.matmul) {
    const s = await session(oneNodeModel('MatMul', [['A', [n, n]], ['B', [n, n]]], ['C', [n, n]]));
    const feeds = { A: new ort.Tensor('float32', random(n * n), [n, n]), B: new ort.Tensor('float32', random(n * n), [n, n]) };
    const ms = await measure(async () => (await s.run(feeds)).C.data, { ...args, calls: matmulCallsPerRepeat(n) });
    await s.release();
    matmul.push({ n, ms });
    say(`  matmul ${n}: median ${ms.median.toFixed(2)} ms = ${((2 * n ** 3) / ms.median / 1e6).toFixed(1)} GFLOPS`);
  }
  const conv = [];
  if (args.conv) {
    for (const l of CONV_LAYERS) {
      const model = oneNodeModel('Conv', [['X', [l.n, l.c, l.h, l.h]], ['W', [l.o, l.c, 3, 3]]], ['Y', [l.n, l.o, l.h, l.h]], [
        intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1]), intsAttr('strides', [1, 1]),
      ]);
      const s = await session(model);
      const feeds = {
        X: new ort.Tensor('float32', random(l.n * l.c * l.h * l.h), [l.n, l.c, l.h, l.h]),
        W: new ort.Tensor('float32', random(l.o * l.c * 9), [l.o, l.c, 3, 3]),
      };
      const ms = await measure(async () => (await s.run(feeds)).Y.data, args);
      await s.release();
      conv.push({ layer: l.name, ms });
      say(`  conv ${l.name}: median ${ms.median.toFixed(2)} ms`);
    }
  }
  emit({ ...info, matmul, conv });
} catch (e) {
  fail(PEER, e);
}
