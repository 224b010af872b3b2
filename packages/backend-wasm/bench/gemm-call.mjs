// Where the time of one small matmul call goes, as the bench makes it (sn.matmul, dataSync, dispose),
// one thread: the kernel alone (the gemm export on warm operands), the backend's matmul (host side and
// kernel, called directly), sn.matmul (core's dispatch on top), the read-back, and the minor page faults
// of each part. Least and median µs over CALLS calls after WARM warm-up calls.
// Run: node bench/gemm-call.mjs; N=128 CALLS=400 WARM=100 THREADS=1.
import { loadavg } from 'node:os';
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';

const N = Number(process.env.N ?? 128);
const CALLS = Number(process.env.CALLS ?? 400);
const WARM = Number(process.env.WARM ?? 100);
const wasm = await createWasmBackend({ name: 'gemm-call', threads: Number(process.env.THREADS ?? 1) });
sn.registerBackend('gemm-call', () => wasm, { priority: -1 });
await sn.setBackend('gemm-call');
const rt = wasm.runtime;
const ex = rt.exports;
const a = sn.randomNormal([N, N], { seed: 1 });
const b = sn.randomNormal([N, N], { seed: 2 });
const ref = (t) => ({ id: wasm.write(t.dataSync(), 'float32'), shape: [1, N, N], dtype: 'float32' });
const ra = ref(a), rb = ref(b);
const attrs = { transposeA: false, transposeB: false };

const pa = rt.get(ra.id).ptr, pb = rt.get(rb.id).ptr;
const pc = rt.heap.alloc(N * N * 4);
const work = rt.heap.alloc(ex.gemmWorkBytes() + 4096);

const parts = {
  'kernel (gemm export, warm operands)': () => ex.gemm(N, N, N, pa, N, 1, pb, N, 1, pc, N, 0, work),
  'backend matmul + free (no core)': () => rt.delete(wasm.matmul(ra, rb, attrs)),
  'backend matmul + readSync + free': () => {
    const id = wasm.matmul(ra, rb, attrs);
    wasm.readSync(id);
    rt.delete(id);
  },
  'sn.matmul + dispose': () => sn.matmul(a, b).dispose(),
  'sn.matmul + dataSync + dispose': () => {
    const t = sn.matmul(a, b);
    t.dataSync();
    t.dispose();
  },
};
const view = new Float32Array(rt.memory.buffer, pc, N * N);
const copies = {
  'read-back copy: view.slice()': () => view.slice(),
  'read-back copy: new Float32Array + set': () => new Float32Array(N * N).set(view),
};
const q = (xs, f) => [...xs].sort((x, y) => x - y)[Math.floor(f * (xs.length - 1))];
console.log(`n = ${N}, ${wasm.threads} thread(s), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; µs per call over ${CALLS} calls (after ${WARM}), round-robin`);
const all = { ...parts, ...copies };
const stats = Object.fromEntries(Object.keys(all).map((k) => [k, { t: [], f: [] }]));
for (let r = 0; r < WARM + CALLS; r++) {
  for (const [name, fn] of Object.entries(all)) {
    const f0 = process.resourceUsage().minorPageFault;
    const t0 = performance.now();
    fn();
    const t = performance.now() - t0;
    const f = process.resourceUsage().minorPageFault - f0;
    if (r >= WARM) {
      stats[name].t.push(t * 1e3);
      stats[name].f.push(f);
    }
  }
}
for (const [name, s] of Object.entries(stats)) {
  console.log(`  ${name.padEnd(42)} least ${q(s.t, 0).toFixed(1).padStart(7)}  median ${q(s.t, 0.5).toFixed(1).padStart(7)}  p90 ${q(s.t, 0.9).toFixed(1).padStart(7)}   page faults median ${q(s.f, 0.5)} max ${q(s.f, 1)}`);
}
wasm.shutdown();
process.exit(0);
