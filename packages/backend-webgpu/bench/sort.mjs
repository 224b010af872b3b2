// Times the argsort kernel through core's argsort, sort and topk on js, wasm (default threads and one
// thread) and webgpu (whatever adapter Dawn finds; lavapipe here), for float32 [64, 10000] and
// [1, 1e6], each call followed by a read-back. Also checks that every backend returns the same order.
// Run after a build: `node packages/backend-webgpu/bench/sort.mjs [--no-webgpu]`.
import { create, globals } from 'webgpu';

const withGpu = !process.argv.includes('--no-webgpu');
if (withGpu) {
  Object.assign(globalThis, globals);
  const gpu = create([]);
  globalThis.navigator ??= {};
  if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu });
  process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
}

const sn = await import('@scratchnet/core');
await import('@scratchnet/backend-js');
const { createWasmBackend } = await import('../../backend-wasm/dist/index.js');
sn.registerBackend('wasm-1t', () => createWasmBackend({ name: 'wasm-1t', threads: 1 }), { priority: -1 });
const backends = ['js', 'wasm', 'wasm-1t'];
if (withGpu) {
  const gpuPkg = await import('../dist/index.js');
  if (await gpuPkg.isAvailable()) backends.push('webgpu');
  else console.log(`webgpu skipped: ${await gpuPkg.unavailableReason()}`);
}

const SHAPES = [[64, 10000], [1, 1_000_000]];
const MIN_MS = 1500;

/** Median-free simple timing: ms per call of `fn` (which returns a tensor), after one warm-up, reading back each result. */
async function msPerCall(fn) {
  const warm = fn();
  await warm.data();
  warm.dispose();
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < MIN_MS || reps < 3) {
    const y = fn();
    await y.data();
    y.dispose();
    reps++;
  }
  return (performance.now() - t0) / reps;
}

const values = new Map();
for (const shape of SHAPES) {
  const n = shape[0] * shape[1];
  const data = Float32Array.from(new sn.RandomGenerator(7).normal(n));
  // Some ties and a NaN, so the orders compared across backends exercise the tie-breaking.
  for (let i = 0; i < n; i += 97) data[i] = 0.5;
  data[n - 1] = NaN;
  for (const name of backends) {
    await sn.setBackend(name);
    const x = sn.tensor(data, shape);
    const order = await sn.argsort(x).data();
    const key = shape.join('x');
    if (!values.has(key)) values.set(key, order);
    else if (!values.get(key).every((v, i) => v === order[i])) throw new Error(`${name}: argsort of [${shape}] differs from ${backends[0]}`);
    const a = await msPerCall(() => sn.argsort(x));
    const s = await msPerCall(() => sn.sort(x, { descending: true }));
    const t = await msPerCall(() => sn.topk(x, 10).values);
    console.log(`[${shape.join(', ')}] ${name.padEnd(8)} argsort ${a.toFixed(1).padStart(8)} ms   sort ${s.toFixed(1).padStart(8)} ms   topk(10) ${t.toFixed(1).padStart(8)} ms`);
    x.dispose();
  }
}
console.log(`every backend returned the same stable order (${backends.join(', ')})`);
process.exit(0);
