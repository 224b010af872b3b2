// Benchmarks backend-webgpu against TensorFlow.js's WebGPU backend (4.22) in the same Node process, both
// on the adapter Dawn finds (here: Mesa's software Vulkan, lavapipe, so only the ratio means anything):
// matmul GFLOPS at 256..2048 and time per step of the MNIST-shaped conv layers, forward and forward +
// both gradients. Run with `pnpm bench` from the repository root (after a build); `--quick` stops at 1024.
import { create, globals } from 'webgpu';

// One Dawn GPU object for both libraries, reachable for the whole run (collecting it crashes dawn.node).
Object.assign(globalThis, globals);
const gpu = create([]);
if (!globalThis.navigator) globalThis.navigator = {};
if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu });
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';

const sn = await import('@scratchnet/core');
const { isAvailable, unavailableReason } = await import('@scratchnet/backend-webgpu');
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-webgpu');
await import('@tensorflow/tfjs-layers'); // registers tfjs's gradients in Node

if (!(await isAvailable())) {
  console.log(`backend-webgpu bench skipped: ${await unavailableReason()}`);
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const MIN_TIME_MS = quick ? 300 : 1000;

/**
 * Milliseconds per call of `step` (which queues GPU work and returns a tensor or tensors): after a warm-up
 * call, runs batches of `reps` calls followed by one read-back, growing `reps` until a batch takes
 * MIN_TIME_MS; returns the median batch time / reps. The read-back makes the GPU finish the batch.
 */
async function time(step, read, dispose) {
  const once = async (reps) => {
    const t0 = performance.now();
    let last;
    for (let i = 0; i < reps; i++) {
      if (last) dispose(last);
      last = step();
    }
    await read(last);
    dispose(last);
    return performance.now() - t0;
  };
  await once(1);
  let reps = 1;
  let ms = await once(reps);
  while (ms < MIN_TIME_MS / 3 && reps < 256) {
    reps *= 2;
    ms = await once(reps);
  }
  const samples = [ms / reps];
  for (let k = 0; k < 2; k++) samples.push((await once(reps)) / reps);
  samples.sort((a, b) => a - b);
  return samples[1];
}

const snRead = async (t) => {
  for (const x of Array.isArray(t) ? t : [t]) await x.data();
};
const snDispose = (t) => sn.dispose(t);
const tfRead = async (t) => {
  for (const x of Array.isArray(t) ? t : [t]) await x.data();
};
const tfDispose = (t) => tf.dispose(t);

await sn.setBackend('webgpu');
await tf.setBackend('webgpu');
await tf.ready();

const info = sn.getBackend().info();
const rows = [];
const fmt = (v, d = 2) => v.toFixed(d);
console.log(`ScratchNet backend-webgpu vs @tensorflow/tfjs-backend-webgpu ${tf.version_core} — Node ${process.version}`);
console.log(`adapter: ${info.vendor || '?'} ${info.architecture || ''} ${info.description || ''}`.trim() + '\n');

console.log('matmul (float32, n×n by n×n)');
console.log('   n | scratchnet GFLOPS | tfjs-webgpu GFLOPS | ratio');
for (const n of quick ? [256, 512, 1024] : [256, 512, 1024, 2048]) {
  const flops = 2 * n ** 3;
  const a = sn.randomNormal([n, n], { seed: 1 });
  const b = sn.randomNormal([n, n], { seed: 2 });
  const ours = await time(() => sn.matmul(a, b), snRead, snDispose);
  const ta = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const tb = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const theirs = await time(() => tf.matMul(ta, tb), tfRead, tfDispose);
  const g1 = flops / ours / 1e6;
  const g2 = flops / theirs / 1e6;
  rows.push({ bench: `matmul ${n}`, ours: g1, theirs: g2, unit: 'GFLOPS', ratio: g1 / g2 });
  console.log(`${String(n).padStart(4)} | ${fmt(g1).padStart(17)} | ${fmt(g2).padStart(18)} | ${fmt(g1 / g2)}×`);
  sn.dispose([a, b]);
  tf.dispose([ta, tb]);
}

console.log('\nconv2d 3×3, padding 1, MNIST-shaped layers (ms per step; lower is better)');
console.log('layer                      | pass                 | scratchnet ms | tfjs-webgpu ms | speed-up');
const layers = [
  { name: '[64,1,28,28] 1→8', n: 64, c: 1, h: 28, o: 8 },
  { name: '[64,8,14,14] 8→16', n: 64, c: 8, h: 14, o: 16 },
];
for (const l of layers) {
  const x = sn.randomNormal([l.n, l.c, l.h, l.h], { seed: 3 });
  const w = sn.randomNormal([l.o, l.c, 3, 3], { seed: 4 });
  const tx = tf.randomNormal([l.n, l.h, l.h, l.c], 0, 1, 'float32', 3); // tfjs is NHWC
  const tw = tf.randomNormal([3, 3, l.c, l.o], 0, 1, 'float32', 4);
  const fwdOurs = await time(() => sn.conv2d(x, w, { padding: 1 }), snRead, snDispose);
  const fwdTheirs = await time(() => tf.conv2d(tx, tw, 1, 'same'), tfRead, tfDispose);
  const ourGrad = sn.grad((xx, ww) => sn.sum(sn.conv2d(xx, ww, { padding: 1 })));
  const bwdOurs = await time(() => sn.tidy(() => ourGrad(x, w)), snRead, snDispose);
  const theirGrad = tf.grads((xx, ww) => tf.sum(tf.conv2d(xx, ww, 1, 'same')));
  const bwdTheirs = await time(() => tf.tidy(() => theirGrad([tx, tw])), tfRead, tfDispose);
  for (const [pass, ours, theirs] of [['forward', fwdOurs, fwdTheirs], ['forward + both grads', bwdOurs, bwdTheirs]]) {
    rows.push({ bench: `conv ${l.name} ${pass}`, ours, theirs, unit: 'ms', ratio: theirs / ours });
    console.log(`${l.name.padEnd(26)} | ${pass.padEnd(20)} | ${fmt(ours).padStart(13)} | ${fmt(theirs).padStart(14)} | ${fmt(theirs / ours)}×`);
  }
  sn.dispose([x, w]);
  tf.dispose([tx, tw]);
}

console.log('\n(ratio / speed-up > 1 means ScratchNet is faster)');
sn.getBackend().shutdown?.();
process.exit(0);
