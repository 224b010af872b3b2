// Benchmarks backend-wasm in one process against ScratchNet's JS backend, TensorFlow.js's wasm backend
// (XNNPACK, 4.22, single-threaded in Node) and onnxruntime-web's wasm build (1 and 2 threads, one-node
// MatMul / Conv ONNX graphs encoded below): matmul GFLOPS at 128..1024 at 1 thread and all threads,
// the MNIST-shaped conv layers forward and forward + both gradients, this machine's WASM-SIMD peak
// (so results are also a % of peak) and an MNIST CNN training step. Run with `pnpm bench` after a build;
// `--quick` shortens every measurement. Nothing here is downloaded: all peers come from npm.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import { createWasmBackend, defaultThreads } from '@scratchnet/backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';

const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
const MIN_TIME_MS = quick ? 200 : 700;
const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

/** Median milliseconds per call after a warm-up: at least 3 runs and about MIN_TIME_MS. */
async function time(fn) {
  await fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < 3 || (performance.now() - start < MIN_TIME_MS && samples.length < 60)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// ---------------------------------------------------------------- peers
const tfWasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
setWasmPaths(pathToFileURL(join(tfWasmDir, 'dist')).href + '/');
setThreadsCount(1);
await tf.setBackend('wasm');
await tf.ready();

const ortDir = dirname(require.resolve('onnxruntime-web')).replace(/dist.*$/, 'dist');
ort.env.wasm.wasmPaths = pathToFileURL(ortDir).href + '/';
ort.env.logLevel = 'error';

// A tiny protobuf writer for the ONNX ModelProto fields a one-node graph needs.
function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const tag = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...tag(field, 0), ...varint(n)];
const bytes = (field, b) => [...tag(field, 2), ...varint(b.length), ...b];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);
/** ValueInfoProto of a float tensor. */
function valueInfo(name, shape) {
  const dims = shape.flatMap((d) => bytes(1, int(1, d))); // TensorShapeProto.dim { dim_value }
  const tensorType = [...int(1, 1), ...bytes(2, dims)]; // elem_type FLOAT, shape
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))]; // name, type { tensor_type }
}
/** AttributeProto with an INTS value. */
const intsAttr = (name, values) => [...str(1, name), ...values.flatMap((v) => int(8, v)), ...int(20, 7)];
/** A ModelProto with one node of `op` (opset 13). */
function oneNodeModel(op, inputs, output, attrs = []) {
  const node = [...inputs.flatMap(([n]) => str(1, n)), ...str(2, output[0]), ...str(4, op), ...attrs.flatMap((a) => bytes(5, a))];
  const graph = [...bytes(1, node), ...str(2, 'g'), ...inputs.flatMap(([n, s]) => bytes(11, valueInfo(n, s))), ...bytes(12, valueInfo(output[0], output[1]))];
  return new Uint8Array([...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}

async function ortSession(model, threads) {
  ort.env.wasm.numThreads = threads;
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

// ---------------------------------------------------------------- ours
const cores = await defaultThreads();
const wasm = await createWasmBackend({ name: 'wasm-bench' });
sn.registerBackend('wasm-bench', () => wasm, { priority: -1 });
await sn.setBackend('wasm-bench');
const info = wasm.info();
console.log(
  `ScratchNet backend-wasm (${info.isa}, ${cores} cores) vs backend-js, tfjs-backend-wasm ${tf.version_core} (XNNPACK, 1 thread) ` +
  `and onnxruntime-web ${ort.env.versions?.web ?? ''} (wasm) — Node ${process.version}${quick ? ' — quick run' : ''}\n`,
);

// Peak: the relaxed build's FMA loop and the SIMD build's mul+add loop, one thread each.
async function peakOf(isa) {
  const b = await createWasmBackend({ name: `peak-${isa}`, isa, threads: 1 });
  const ex = b.runtime.exports;
  const iters = 5e6;
  ex.peak(iters, 1);
  let best = 0;
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    const t0 = performance.now();
    ex.peak(iters, 1 + r);
    best = Math.max(best, (iters * 96) / (performance.now() - t0) / 1e6);
  }
  b.shutdown();
  return best;
}
const peakFma = info.isa === 'relaxed-simd' ? await peakOf('relaxed-simd') : NaN;
const peakMulAdd = await peakOf('simd');
const peak = Number.isFinite(peakFma) ? peakFma : peakMulAdd;
console.log(`WASM-SIMD peak per core: ${fmt(peakFma)} GFLOPS with relaxed FMA, ${fmt(peakMulAdd)} GFLOPS with mul + add`);
console.log(`(% of peak below: of ${fmt(peak)} GFLOPS × threads used)\n`);

// ---------------------------------------------------------------- matmul
const rows = [];
console.log('matmul (float32, n×n by n×n), GFLOPS');
const header = ['n', 'wasm 1t', '% peak', `wasm ${cores}t`, '% peak', 'speed-up', 'js', 'tfjs-wasm', 'ort 1t', 'ort 2t', 'vs best 1t', `vs best ${cores}t`];
console.log(header.map((h) => h.padStart(10)).join(' |'));
for (const n of [128, 256, 512, 1024]) {
  const flops = 2 * n ** 3;
  const g = (ms) => flops / ms / 1e6;
  const a = sn.randomNormal([n, n], { seed: 1 });
  const b = sn.randomNormal([n, n], { seed: 2 });
  const mm = () => sn.tidy(() => sn.matmul(a, b).dataSync());
  await wasm.setThreads(1);
  const w1 = g(await time(mm));
  await wasm.setThreads(cores);
  const wN = g(await time(mm));
  await sn.setBackend('js');
  const aj = sn.randomNormal([n, n], { seed: 1 });
  const bj = sn.randomNormal([n, n], { seed: 2 });
  const js = n <= 512 || !quick ? g(await time(() => sn.tidy(() => sn.matmul(aj, bj).dataSync()))) : NaN;
  sn.dispose([aj, bj]);
  await sn.setBackend('wasm-bench');
  const ta = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const tb = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const tfw = g(await time(() => tf.tidy(() => tf.matMul(ta, tb).dataSync())));
  tf.dispose([ta, tb]);
  const model = oneNodeModel('MatMul', [['A', [n, n]], ['B', [n, n]]], ['C', [n, n]]);
  const feeds = { A: new ort.Tensor('float32', await a.data(), [n, n]), B: new ort.Tensor('float32', await b.data(), [n, n]) };
  const ortG = [];
  for (const threads of [1, 2]) {
    const s = await ortSession(model, threads);
    ortG.push(g(await time(async () => (await s.run(feeds)).C.data)));
    await s.release();
  }
  sn.dispose([a, b]);
  const best1 = Math.max(tfw, ortG[0]);
  const bestN = Math.max(tfw, ortG[1]);
  rows.push({ n, w1, wN, js, tfw, ort1: ortG[0], ort2: ortG[1], best1, bestN });
  console.log([n, fmt(w1), `${fmt((100 * w1) / peak, 0)}%`, fmt(wN), `${fmt((100 * wN) / (peak * cores), 0)}%`, `${fmt(wN / w1, 2)}×`,
    fmt(js, 2), fmt(tfw), fmt(ortG[0]), fmt(ortG[1]), `${fmt(w1 / best1, 2)}×`, `${fmt(wN / bestN, 2)}×`].map((c) => String(c).padStart(10)).join(' |'));
}

// ---------------------------------------------------------------- conv layers
console.log('\nMNIST-shaped conv2d 3×3, padding 1, batch 64 (ms per call; lower is better)');
console.log('layer                  | pass                 | wasm 1t | wasm ' + `${cores}t`.padEnd(3) + '|      js | tfjs-wasm |  ort 1t |  ort 2t');
const layers = [
  { name: '[64,1,28,28] 1→8', n: 64, c: 1, h: 28, o: 8 },
  { name: '[64,8,14,14] 8→16', n: 64, c: 8, h: 14, o: 16 },
];
const convRows = [];
for (const l of layers) {
  const measure = async (backend, threads) => {
    await sn.setBackend(backend);
    if (threads) await wasm.setThreads(threads);
    const x = sn.randomNormal([l.n, l.c, l.h, l.h], { seed: 3 });
    const w = sn.randomNormal([l.o, l.c, 3, 3], { seed: 4 });
    const fwd = await time(() => sn.tidy(() => sn.conv2d(x, w, { padding: 1 }).dataSync()));
    const grad = sn.valueAndGrad((xx, ww) => sn.sum(sn.conv2d(xx, ww, { padding: 1 })));
    const bwd = await time(() => sn.tidy(() => grad(x, w).grads.map((t) => t.dataSync())));
    sn.dispose([x, w]);
    return [fwd, bwd];
  };
  const w1 = await measure('wasm-bench', 1);
  const wN = await measure('wasm-bench', cores);
  const js = await measure('js');
  await sn.setBackend('wasm-bench');
  const tx = tf.randomNormal([l.n, l.h, l.h, l.c], 0, 1, 'float32', 3); // tfjs is NHWC
  const tw = tf.randomNormal([3, 3, l.c, l.o], 0, 1, 'float32', 4);
  const tfFwd = await time(() => tf.tidy(() => tf.conv2d(tx, tw, 1, 'same').dataSync()));
  tf.dispose([tx, tw]);
  const model = oneNodeModel('Conv', [['X', [l.n, l.c, l.h, l.h]], ['W', [l.o, l.c, 3, 3]]], ['Y', [l.n, l.o, l.h, l.h]], [
    intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1]), intsAttr('strides', [1, 1]),
  ]);
  const feeds = {
    X: new ort.Tensor('float32', Float32Array.from({ length: l.n * l.c * l.h * l.h }, () => Math.random() - 0.5), [l.n, l.c, l.h, l.h]),
    W: new ort.Tensor('float32', Float32Array.from({ length: l.o * l.c * 9 }, () => Math.random() - 0.5), [l.o, l.c, 3, 3]),
  };
  const ortMs = [];
  for (const threads of [1, 2]) {
    const s = await ortSession(model, threads);
    ortMs.push(await time(async () => (await s.run(feeds)).Y.data));
    await s.release();
  }
  convRows.push({ layer: l.name, w1, wN, js });
  const line = (pass, i, tfv, o1, o2) =>
    console.log(`${l.name.padEnd(22)} | ${pass.padEnd(20)} | ${fmt(w1[i], 2).padStart(7)} | ${fmt(wN[i], 2).padStart(7)} | ${fmt(js[i], 2).padStart(7)} | ${String(tfv).padStart(9)} | ${String(o1).padStart(7)} | ${String(o2).padStart(7)}`);
  line('forward', 0, fmt(tfFwd, 2), fmt(ortMs[0], 2), fmt(ortMs[1], 2));
  line('forward + both grads', 1, 'no kernel', '—', '—');
}

// ---------------------------------------------------------------- CNN training step
// conv 1→8 3×3 → relu → maxpool 2 → conv 8→16 3×3 → relu → maxpool 2 → dense 784→10 → log-softmax
// cross-entropy; gradients by variableGrads, plain SGD updates. Batch 64.
async function trainStep(backend, threads) {
  await sn.setBackend(backend);
  if (threads) await wasm.setThreads(threads);
  const scale = (shape, fanIn, seed) => sn.tidy(() => sn.mul(sn.randomNormal(shape, { seed }), Math.sqrt(2 / fanIn)));
  const params = [
    sn.variable(scale([8, 1, 3, 3], 9, 11)), sn.variable(sn.zeros([1, 8, 1, 1])),
    sn.variable(scale([16, 8, 3, 3], 72, 12)), sn.variable(sn.zeros([1, 16, 1, 1])),
    sn.variable(scale([784, 10], 784, 13)), sn.variable(sn.zeros([10])),
  ];
  const [w1, b1, w2, b2, w3, b3] = params;
  const x = sn.randomNormal([64, 1, 28, 28], { seed: 5 });
  const labels = sn.oneHot(sn.tensor(Array.from({ length: 64 }, (_, i) => i % 10), [64], 'int32'), 10);
  const loss = () => {
    let h = sn.maxPool2d(sn.relu(sn.add(sn.conv2d(x, w1, { padding: 1 }), b1)), 2);
    h = sn.maxPool2d(sn.relu(sn.add(sn.conv2d(h, w2, { padding: 1 }), b2)), 2);
    const logits = sn.add(sn.matmul(sn.reshape(h, [64, 784]), w3), b3);
    return sn.neg(sn.mean(sn.sum(sn.mul(labels, sn.logSoftmax(logits)), 1)));
  };
  const step = () => sn.tidy(() => {
    const { value, grads } = sn.variableGrads(loss, params);
    for (const p of params) p.assign(sn.sub(p, sn.mul(grads.get(p), 0.01)));
    return value.dataSync()[0];
  });
  const ms = await time(step);
  sn.dispose([...params, x, labels]);
  return ms;
}
console.log('\nMNIST CNN training step, batch 64 (forward + backward + SGD update), ms');
const stepJs = await trainStep('js');
const step1 = await trainStep('wasm-bench', 1);
const stepN = await trainStep('wasm-bench', cores);
console.log(`backend-js ${fmt(stepJs, 2)} | wasm 1t ${fmt(step1, 2)} (${fmt(stepJs / step1, 2)}×) | wasm ${cores}t ${fmt(stepN, 2)} (${fmt(stepJs / stepN, 2)}×)`);

// ---------------------------------------------------------------- targets
const r1024 = rows.find((r) => r.n === 1024);
const targets = [
  ['matmul 1024, 1 thread vs best peer', r1024.w1 / r1024.best1, 1.2, '×'],
  [`matmul 1024, ${cores} threads vs best peer`, r1024.wN / r1024.bestN, 1.2, '×'],
  ['matmul 1024, 1 thread, % of single-core peak', (100 * r1024.w1) / peak, 70, '%'],
  [`matmul 1024 speed-up 1 → ${cores} threads`, r1024.wN / r1024.w1, 1.7, '×'],
  ['CNN training step vs backend-js (all threads)', stepJs / stepN, 3, '×'],
];
console.log('\ntargets');
for (const [name, v, min, unit] of targets) {
  console.log(`${name.padEnd(48)} ${fmt(v, 2)}${unit} (target ≥ ${min}${unit}) ${v >= min ? 'met' : 'NOT MET'}`);
}
wasm.shutdown();
process.exit(0);
