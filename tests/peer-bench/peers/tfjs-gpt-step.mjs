// One training step of the bench GPT (gpt-spec.mjs) in tfjs 4.22, written with tfjs-core ops as its
// guide writes custom models: `tf.variable` parameters, `tf.gather` embeddings, attention as batched
// `tf.matMul`s with a `tf.where` causal mask and `tf.softmax`, `tf.moments`-free LayerNorm, exact GELU
// through `tf.erf`, `tf.logSoftmax` cross-entropy, gradients from `tf.variableGrads` and tfjs's own
// `tf.train.adam`. `--backend wasm` sets tfjs-backend-wasm up as tfjs-wasm.mjs does (1 thread, or its
// threaded build forced with `--threads 2`); `--backend cpu` is tfjs-backend-cpu (plain JS, one
// thread); `--backend webgpu` is tfjs-backend-webgpu as its README sets it up (import it, then
// `tf.setBackend('webgpu')`), in Node on the `webgpu` package's Dawn (lavapipe here), whose `navigator.gpu`
// and WebGPU globals are installed first as that package documents. The loss is read back outside
// `tf.tidy`, after the update (with `data()` on webgpu, which has no synchronous read).
//
//   node peers/tfjs-gpt-step.mjs [--backend wasm|cpu|webgpu] [--threads 1|2] [--onehot-embedding] [--warmup 3] [--repeats 5]
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { measure } from '../timing.mjs';
import { GPT_SPEC as S, TOKENS_PER_STEP, gptBatch } from './gpt-spec.mjs';
import { emit, fail, parseArgs, say } from './protocol.mjs';
import { registerTfjsGradients } from './tfjs-gradients.mjs';
import { forceTfjsThreads } from './tfjs-threads.mjs';

const require = createRequire(import.meta.url);
const args = parseArgs();
const argv = process.argv.slice(2);
const backend = argv.includes('--backend') ? argv[argv.indexOf('--backend') + 1] : 'wasm';
const PEER = `tfjs-${backend}`;
// tfjs-backend-wasm has no UnsortedSegmentSum kernel, which the gradient of `tf.gather` needs: there
// the token embedding is a one-hot matmul (the same numbers, more work) and the position embedding the
// whole table, since every window uses all 64 positions.
const onehotEmbedding = argv.includes('--onehot-embedding');

try {
  if (backend === 'wasm' && args.threads > 1) forceTfjsThreads(args.threads);
  const tf = require('@tensorflow/tfjs-core');
  await registerTfjsGradients();
  const info = { peer: PEER, backend, embedding: onehotEmbedding ? 'one-hot matmul' : 'gather' };
  if (backend === 'wasm') {
    const tfWasm = require('@tensorflow/tfjs-backend-wasm');
    if (args.threads > 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    tfWasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    tfWasm.setThreadsCount(args.threads);
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
    await tf.ready();
    info.version = tfWasm.version_wasm;
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = tf.backend().wasm.tfjs.getThreadsCount();
  } else if (backend === 'cpu') {
    const tfCpu = require('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
    await tf.ready();
    info.version = tfCpu.version_cpu;
    info.threads = 1;
  } else if (backend === 'webgpu') {
    process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    // Dawn's GPU object must stay reachable for the whole run (collecting it crashes dawn.node).
    globalThis.dawnGpu = create([]);
    if (!globalThis.navigator) globalThis.navigator = {};
    if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: globalThis.dawnGpu });
    require('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed (no adapter?)');
    await tf.ready();
    const adapter = await globalThis.navigator.gpu.requestAdapter();
    // The package exports no version constant: read it from its package.json beside the resolved entry.
    let dir = dirname(require.resolve('@tensorflow/tfjs-backend-webgpu'));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    info.version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    info.adapter = `${adapter?.info?.vendor ?? '?'} ${adapter?.info?.architecture ?? ''}`.trim();
    info.threads = 1;
  } else {
    throw new Error(`unknown backend '${backend}' (wasm, cpu, webgpu)`);
  }
  say(`${PEER} ${info.version}: ${backend === 'webgpu' ? `adapter ${info.adapter}` : `${info.threads} thread(s)`}${backend === 'wasm' ? `, SIMD ${info.simd}` : ''}`);

  let seed = 0;
  const normal = (shape, std) => tf.variable(tf.randomNormal(shape, 0, std, 'float32', ++seed));
  const ones = (n) => tf.variable(tf.ones([n]));
  const zeros = (n) => tf.variable(tf.zeros([n]));
  const D = S.dModel;
  const p = { wte: normal([S.vocab, D], 0.02), wpe: normal([S.context, D], 0.02), lnfG: ones(D), lnfB: zeros(D), blocks: [] };
  for (let l = 0; l < S.layers; l++) {
    p.blocks.push({
      ln1G: ones(D), ln1B: zeros(D), wqkv: normal([D, 3 * D], 1 / Math.sqrt(D)), bqkv: zeros(3 * D),
      wo: normal([D, D], 1 / Math.sqrt(D)), bo: zeros(D), ln2G: ones(D), ln2B: zeros(D),
      w1: normal([D, S.ff], 1 / Math.sqrt(D)), b1: zeros(S.ff), w2: normal([S.ff, D], 1 / Math.sqrt(S.ff)), b2: zeros(D),
    });
  }
  const variables = [p.wte, p.wpe, p.lnfG, p.lnfB, ...p.blocks.flatMap((b) => Object.values(b))];
  info.parameters = variables.reduce((n, v) => n + v.size, 0);

  const N = TOKENS_PER_STEP;
  const hd = D / S.heads;
  const causal = tf.linalg.bandPart(tf.ones([S.context, S.context]), -1, 0).cast('bool');
  const blocked = tf.fill([S.context, S.context], -1e9);
  const layerNorm = (x, g, b) => {
    const centred = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(centred), -1, true);
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, S.eps))), g), b);
  };
  const dense = (x, w, b) => tf.add(tf.matMul(x, w), b);
  const heads = (t) => tf.reshape(tf.transpose(tf.reshape(t, [S.batch, S.context, S.heads, hd]), [0, 2, 1, 3]), [S.batch * S.heads, S.context, hd]);
  const attention = (h, b) => {
    const [q, k, v] = tf.split(dense(h, b.wqkv, b.bqkv), 3, -1).map(heads);
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hd));
    const weights = tf.softmax(tf.where(causal, scores, blocked), -1);
    const o = tf.reshape(tf.transpose(tf.reshape(tf.matMul(weights, v), [S.batch, S.heads, S.context, hd]), [0, 2, 1, 3]), [N, D]);
    return dense(o, b.wo, b.bo);
  };
  const gelu = (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  const batch = gptBatch();
  const ids = tf.tensor2d(batch.ids, [S.batch, S.context], 'int32');
  const positions = tf.range(0, S.context, 1, 'int32');
  const idsOneHot = tf.oneHot(tf.tensor1d(batch.ids, 'int32'), S.vocab).cast('float32');
  const labels = tf.oneHot(tf.tensor1d(batch.targets, 'int32'), S.vocab).cast('float32');
  const loss = () => {
    // Rows are the batch × context tokens; the position embedding repeats over the batch.
    const tokens = onehotEmbedding ? tf.reshape(tf.matMul(idsOneHot, p.wte), [S.batch, S.context, D]) : tf.gather(p.wte, ids);
    let x = tf.reshape(tf.add(tokens, onehotEmbedding ? p.wpe : tf.gather(p.wpe, positions)), [N, D]);
    for (const b of p.blocks) {
      x = tf.add(x, attention(layerNorm(x, b.ln1G, b.ln1B), b));
      x = tf.add(x, dense(gelu(dense(layerNorm(x, b.ln2G, b.ln2B), b.w1, b.b1)), b.w2, b.b2));
    }
    const logits = tf.matMul(layerNorm(x, p.lnfG, p.lnfB), p.wte, false, true);
    return tf.mul(tf.sum(tf.mul(tf.logSoftmax(logits, -1), labels)), -1 / N);
  };
  const optimizer = tf.train.adam(S.lr);
  const losses = [];
  const step = async () => {
    const { value, grads } = tf.variableGrads(loss, variables);
    optimizer.applyGradients(grads);
    losses.push(backend === 'webgpu' ? (await value.data())[0] : value.dataSync()[0]);
    tf.dispose([value, ...Object.values(grads)]);
  };
  const timing = await measure(step, args);
  say(`  GPT step: median ${timing.median.toFixed(1)} ms = ${(N * 1000 / timing.median).toFixed(0)} tokens/s; loss ${losses[0].toFixed(3)} → ${losses.at(-1).toFixed(3)}`);
  emit({ ...info, tokensPerStep: N, step: timing, losses });
} catch (e) {
  fail(PEER, e);
}
