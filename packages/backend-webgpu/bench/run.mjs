// Benchmarks backend-webgpu against TensorFlow.js's WebGPU backend (4.22) in the same Node process, both
// on the adapter Dawn finds (here: Mesa's software Vulkan, lavapipe, so only the ratio means anything):
// matmul GFLOPS at 256..2048 and time per step of the MNIST-shaped conv layers, forward and forward +
// both gradients. Run with `pnpm bench` from the repository root (after a build); `--quick` stops at 1024.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, globals } from 'webgpu';

// One Dawn GPU object for both libraries, reachable for the whole run (collecting it crashes dawn.node).
Object.assign(globalThis, globals);
const gpu = create([]);
if (!globalThis.navigator) globalThis.navigator = {};
if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu });
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';

const sn = await import('@scratchnet/core');
// SCRATCHNET_WEBGPU_MODULE=path/to/index.js benchmarks another build of this backend (e.g. an older commit's).
const backendModule = process.env.SCRATCHNET_WEBGPU_MODULE ? pathToFileURL(resolve(process.env.SCRATCHNET_WEBGPU_MODULE)).href : '@scratchnet/backend-webgpu';
const { isAvailable, unavailableReason } = await import(backendModule);
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
 * Times two peers' `step` (which queues GPU work and returns a tensor or tensors) side by side: after a
 * warm-up call each, finds for each the count of calls per batch (one read-back at the end makes the
 * GPU finish the batch) that takes MIN_TIME_MS / 3, then runs SAMPLES batches of each, alternating, so
 * that load from other processes falls on both alike. Returns per peer the median wall milliseconds per
 * call and the median process CPU milliseconds per call (lavapipe's worker threads included: on a
 * loaded machine the CPU time is the steadier measure of the work a kernel needs).
 */
const SAMPLES = 5;
async function timePair(...peers) {
  const once = async ({ step, read, dispose }, reps) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let last;
    for (let i = 0; i < reps; i++) {
      if (last) dispose(last);
      last = step();
    }
    await read(last);
    dispose(last);
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / reps, cpu: (c.user + c.system) / 1000 / reps };
  };
  const reps = [];
  for (const peer of peers) {
    await once(peer, 1);
    let r = 1;
    while ((await once(peer, r)).wall * r < MIN_TIME_MS / 3 && r < 256) r *= 2;
    reps.push(r);
  }
  const samples = peers.map(() => []);
  for (let k = 0; k < SAMPLES; k++) for (let p = 0; p < peers.length; p++) samples[p].push(await once(peers[p], reps[p]));
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return samples.map((s) => ({ wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)) }));
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
console.log(`ScratchNet backend-webgpu (${backendModule}) vs @tensorflow/tfjs-backend-webgpu ${tf.version_core} — Node ${process.version}`);
console.log(`adapter: ${info.vendor || '?'} ${info.architecture || ''} ${info.description || ''}`.trim() + '\n');

const sn_ = (step) => ({ step, read: snRead, dispose: snDispose });
const tf_ = (step) => ({ step, read: tfRead, dispose: tfDispose });

console.log('matmul (float32, n×n by n×n); GFLOPS by wall time, and by process CPU time in brackets');
console.log('   n | scratchnet GFLOPS | tfjs-webgpu GFLOPS | ratio (wall) | ratio (CPU)');
for (const n of quick ? [256, 512, 1024] : [256, 512, 1024, 2048]) {
  const flops = 2 * n ** 3;
  const a = sn.randomNormal([n, n], { seed: 1 });
  const b = sn.randomNormal([n, n], { seed: 2 });
  const ta = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const tb = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const [ours, theirs] = await timePair(sn_(() => sn.matmul(a, b)), tf_(() => tf.matMul(ta, tb)));
  const g = (ms) => flops / ms / 1e6;
  const ratio = g(ours.wall) / g(theirs.wall);
  const cpuRatio = theirs.cpu / ours.cpu;
  rows.push({ bench: `matmul ${n}`, ours: g(ours.wall), theirs: g(theirs.wall), unit: 'GFLOPS', ratio, cpuRatio });
  const cell = (t) => `${fmt(g(t.wall))} (${fmt(g(t.cpu))})`;
  console.log(`${String(n).padStart(4)} | ${cell(ours).padStart(17)} | ${cell(theirs).padStart(18)} | ${fmt(ratio).padStart(11)}× | ${fmt(cpuRatio).padStart(10)}×`);
  sn.dispose([a, b]);
  tf.dispose([ta, tb]);
}

console.log('\nconv2d 3×3, padding 1, MNIST-shaped layers (ms per step by wall time, CPU ms in brackets; lower is better)');
console.log('layer                      | pass                 |   scratchnet ms |  tfjs-webgpu ms | speed-up (wall) | speed-up (CPU)');
const layers = [
  { name: '[64,1,28,28] 1→8', n: 64, c: 1, h: 28, o: 8 },
  { name: '[64,8,14,14] 8→16', n: 64, c: 8, h: 14, o: 16 },
];
for (const l of layers) {
  const x = sn.randomNormal([l.n, l.c, l.h, l.h], { seed: 3 });
  const w = sn.randomNormal([l.o, l.c, 3, 3], { seed: 4 });
  const tx = tf.randomNormal([l.n, l.h, l.h, l.c], 0, 1, 'float32', 3); // tfjs is NHWC
  const tw = tf.randomNormal([3, 3, l.c, l.o], 0, 1, 'float32', 4);
  const fwd = await timePair(sn_(() => sn.conv2d(x, w, { padding: 1 })), tf_(() => tf.conv2d(tx, tw, 1, 'same')));
  const ourGrad = sn.grad((xx, ww) => sn.sum(sn.conv2d(xx, ww, { padding: 1 })));
  const theirGrad = tf.grads((xx, ww) => tf.sum(tf.conv2d(xx, ww, 1, 'same')));
  const bwd = await timePair(sn_(() => sn.tidy(() => ourGrad(x, w))), tf_(() => tf.tidy(() => theirGrad([tx, tw]))));
  for (const [pass, [ours, theirs]] of [['forward', fwd], ['forward + both grads', bwd]]) {
    const ratio = theirs.wall / ours.wall;
    const cpuRatio = theirs.cpu / ours.cpu;
    rows.push({ bench: `conv ${l.name} ${pass}`, ours: ours.wall, theirs: theirs.wall, unit: 'ms', ratio, cpuRatio });
    const cell = (t) => `${fmt(t.wall)} (${fmt(t.cpu)})`;
    console.log(`${l.name.padEnd(26)} | ${pass.padEnd(20)} | ${cell(ours).padStart(15)} | ${cell(theirs).padStart(15)} | ${fmt(ratio).padStart(14)}× | ${fmt(cpuRatio).padStart(13)}×`);
  }
  sn.dispose([x, w]);
  tf.dispose([tx, tw]);
}

console.log('\n(ratio / speed-up > 1 means ScratchNet is faster)');
sn.getBackend().shutdown?.();
process.exit(0);
