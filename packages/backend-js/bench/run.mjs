// Benchmarks backend-js against TensorFlow.js's CPU backend (4.22) in the same process:
// matmul GFLOPS at 128..1024 and time per step of the MNIST-shaped conv layers, forward and
// forward + both gradients. Run with `pnpm bench` from the repository root (after a build).
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients in Node

const quick = process.argv.includes('--quick');
const MIN_TIME_MS = quick ? 150 : 600;

/** Median milliseconds per call of `fn` after a warm-up, running at least 3 times and ~MIN_TIME_MS. */
function time(fn) {
  fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < 3 || (performance.now() - start < MIN_TIME_MS && samples.length < 50)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

await sn.setBackend('js');
await tf.setBackend('cpu');
await tf.ready();

const rows = [];
const fmt = (v, d = 2) => v.toFixed(d);

console.log(`ScratchNet backend-js vs @tensorflow/tfjs-backend-cpu ${tf.version_core} — Node ${process.version}\n`);
console.log('matmul (float32, n×n by n×n)');
console.log('   n | scratchnet GFLOPS | tfjs-cpu GFLOPS | ratio');
for (const n of [128, 256, 512, 1024]) {
  const flops = 2 * n ** 3;
  const a = sn.randomNormal([n, n], { seed: 1 });
  const b = sn.randomNormal([n, n], { seed: 2 });
  const ours = time(() => sn.tidy(() => sn.matmul(a, b).dataSync()));
  const ta = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const tb = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const theirs = time(() => tf.tidy(() => tf.matMul(ta, tb).dataSync()));
  const g1 = flops / ours / 1e6;
  const g2 = flops / theirs / 1e6;
  rows.push({ bench: `matmul ${n}`, ours: g1, theirs: g2, unit: 'GFLOPS', ratio: g1 / g2 });
  console.log(`${String(n).padStart(4)} | ${fmt(g1).padStart(17)} | ${fmt(g2).padStart(15)} | ${fmt(g1 / g2)}×`);
  sn.dispose([a, b]);
  tf.dispose([ta, tb]);
}

console.log('\nconv2d 3×3, padding 1 (ms per step; lower is better)');
console.log('layer                      | pass                 | scratchnet ms | tfjs-cpu ms | speed-up');
const layers = [
  { name: '[64,1,28,28] 1→8', n: 64, c: 1, h: 28, o: 8 },
  { name: '[64,8,14,14] 8→16', n: 64, c: 8, h: 14, o: 16 },
];
for (const l of layers) {
  const x = sn.randomNormal([l.n, l.c, l.h, l.h], { seed: 3 });
  const w = sn.randomNormal([l.o, l.c, 3, 3], { seed: 4 });
  const tx = tf.randomNormal([l.n, l.h, l.h, l.c], 0, 1, 'float32', 3); // tfjs is NHWC
  const tw = tf.randomNormal([3, 3, l.c, l.o], 0, 1, 'float32', 4);
  const fwdOurs = time(() => sn.tidy(() => sn.conv2d(x, w, { padding: 1 }).dataSync()));
  const fwdTheirs = time(() => tf.tidy(() => tf.conv2d(tx, tw, 1, 'same').dataSync()));
  const ourGrad = sn.valueAndGrad((xx, ww) => sn.sum(sn.conv2d(xx, ww, { padding: 1 })));
  const bwdOurs = time(() => sn.tidy(() => ourGrad(x, w).grads.map((g) => g.dataSync())));
  const theirGrad = tf.grads((xx, ww) => tf.sum(tf.conv2d(xx, ww, 1, 'same')));
  const bwdTheirs = time(() => tf.tidy(() => theirGrad([tx, tw]).map((g) => g.dataSync())));
  for (const [pass, ours, theirs] of [['forward', fwdOurs, fwdTheirs], ['forward + both grads', bwdOurs, bwdTheirs]]) {
    rows.push({ bench: `conv ${l.name} ${pass}`, ours, theirs, unit: 'ms', ratio: theirs / ours });
    console.log(`${l.name.padEnd(26)} | ${pass.padEnd(20)} | ${fmt(ours).padStart(13)} | ${fmt(theirs).padStart(11)} | ${fmt(theirs / ours)}×`);
  }
  sn.dispose([x, w]);
  tf.dispose([tx, tw]);
}

const targets = [
  { bench: 'matmul 512', min: 3 },
  { bench: 'conv [64,1,28,28] 1→8 forward + both grads', min: 10 },
  { bench: 'conv [64,8,14,14] 8→16 forward + both grads', min: 10 },
];
console.log('\ntargets (ratio against tfjs-cpu measured above)');
for (const t of targets) {
  const r = rows.find((row) => row.bench === t.bench);
  console.log(`${t.bench.padEnd(46)} ${fmt(r.ratio)}× (target ≥ ${t.min}×) ${r.ratio >= t.min ? 'met' : 'NOT MET'}`);
}
