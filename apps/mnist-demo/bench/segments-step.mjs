// Kernel launches per compiled training step with and without compile's segment batching (one launch
// for an optimizer's update of every parameter, compile/segments.ts), for the MNIST MLP and CNN
// (buildModel, batch 64) and the default GPT of @scratchnet/layers (peer-bench's GPT_SPEC, batch 32 × 64
// tokens), all with Adam: what `explain()` counts, the backend kernel calls one replay makes (every
// backend method but write / read / dispose / memory / info) and, on webgpu, the dispatches its counters
// saw; then on backend-wasm at 1 thread the least CPU ms per step of each mode over repeats.
// Run after a build: `node apps/mnist-demo/bench/segments-step.mjs [--repeats N] [--webgpu] [--no-gpt]`.
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import { isAvailable } from '@scratchnet/backend-webgpu';
import { fmt, row } from '@scratchnet/peer-bench/format';
import { trainParts } from './train-step.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const REPEATS = Number(arg('--repeats', '30'));
const withGpu = process.argv.includes('--webgpu') && (await isAvailable());
const models = process.argv.includes('--no-gpt') ? ['mlp', 'cnn'] : ['mlp', 'cnn', 'gpt'];
// The backend contract's kernel methods (write, read, dispose and the rest of storage not counted).
const KERNELS = ['unary', 'unaryGrad', 'binary', 'where', 'cast', 'reduce', 'matmul', 'conv2d', 'conv2dBackInput', 'conv2dBackFilter', 'pool2d', 'pool2dBack', 'copy', 'pad', 'concat', 'gather', 'scatterAdd', 'argsort', 'layerNorm', 'layerNormGrad',
  'fusedElementwise', 'fusedElementwiseSegments', 'matmulEpilogue', 'conv2dEpilogue', 'pool2dEpilogue', 'reduceEpilogue', 'reducePrologue'];

const wasm = await createWasmBackend({ name: 'wasm-segments', threads: 1 });
sn.registerBackend('wasm-segments', () => wasm, { priority: -1 });

/** A training step of `kind` (model, Adam, loss, one batch): `body()` and a disposer. */
function makeCase(kind) {
  const p = trainParts(kind);
  return { body: () => sn.tidy(() => p.step(p.x, p.y)), free: p.dispose };
}

/** Backend kernel calls (and webgpu dispatches) of one replay of `fn`. */
async function countLaunches(backend, fn) {
  const names = KERNELS.filter((k) => typeof backend[k] === 'function');
  let calls = 0;
  let inner = 0;
  for (const k of names) {
    const f = backend[k];
    backend[k] = (...a) => {
      // A kernel method that calls another (an epilogue method running its kernel, then the program) is one launch.
      if (inner++ === 0) calls++;
      try {
        return f.apply(backend, a);
      } finally {
        inner--;
      }
    };
  }
  const dispatches = () => backend.info?.().dispatches ?? 0;
  const d0 = dispatches();
  const v = fn();
  await v.data();
  v.dispose();
  const d = dispatches() - d0;
  for (const k of names) delete backend[k];
  return { calls, dispatches: d };
}

/** The figures of one model on the active backend, segment batching on or off. */
async function launches(kind, segments) {
  const c = makeCase(kind);
  const fn = sn.compile(c.body, { name: `${kind} step`, segments });
  for (let i = 0; i < 3; i++) {
    const v = fn();
    await v.data();
    v.dispose();
  }
  const r = fn.reports()[0];
  const counted = await countLaunches(sn.getBackend(), fn);
  fn.dispose();
  c.free();
  return { explain: r.kernelsFused, segmented: `${r.segmentedGroups}/${r.segments}`, ...counted };
}

/** Least CPU ms per compiled step on wasm (1 thread), segment batching on or off. */
function cpuMs(kind, segments) {
  const c = makeCase(kind);
  const fn = sn.compile(c.body, { name: `${kind} step`, segments });
  const step = () => {
    const v = fn();
    v.dataSync();
    v.dispose();
  };
  const repeats = kind === 'gpt' ? Math.max(3, Math.floor(REPEATS / 6)) : REPEATS;
  for (let i = 0; i < (kind === 'gpt' ? 3 : 10); i++) step();
  let least = Infinity;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    step();
    const u = process.cpuUsage(c0);
    least = Math.min(least, (u.user + u.system) / 1000);
  }
  fn.dispose();
  c.free();
  return least;
}

const W = [28, 8, 14, 10, 12, 12];
row(['model / backend / batching', 'explain', 'segmented/segs', 'calls', 'dispatches', ''], W);
for (const backend of withGpu ? ['wasm-segments', 'webgpu'] : ['wasm-segments']) {
  await sn.setBackend(backend);
  for (const kind of models) {
    if (backend === 'webgpu' && kind === 'gpt' && !process.argv.includes('--gpt-webgpu')) continue;
    for (const segments of [false, true]) {
      const r = await launches(kind, segments);
      row([`${kind} ${backend === 'webgpu' ? 'webgpu' : 'wasm'} ${segments ? 'on' : 'off'}`.padEnd(W[0]), String(r.explain), r.segmented, String(r.calls), String(r.dispatches), ''], W);
    }
  }
}
await sn.setBackend('wasm-segments');
console.log(`\nleast CPU ms per compiled step, backend-wasm (${wasm.info().isa}) 1 thread, ${REPEATS} repeats (GPT fewer):`);
for (const kind of models) {
  const off = cpuMs(kind, false);
  const on = cpuMs(kind, true);
  console.log(`${kind}: batching off ${fmt(off, 2)}, on ${fmt(on, 2)} (${fmt(off / on, 3)}×)`);
}
