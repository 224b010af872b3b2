// One thread against two on small and middle matmuls, as the bench calls them (sn.matmul, then the
// result read back), in one process: blocks of BLOCK back-to-back calls on 1 thread, then on 2, for
// ROUNDS rounds per size, so machine load hits both alike and the 2-thread calls follow each other as in
// `run.mjs` (a worker still awake from the previous call). Prints per size the least and the median
// wall time of a call in µs for each thread count, GFLOPS at the least time, the ratio of the least times
// (2 threads ÷ 1: below 1 means two threads won), and how many worker calls were withdrawn (the calling
// thread had done all the work before the worker woke), the process's CPU time per call, and after how
// many 2-thread calls polling was off (the pool found a worker without a core: the machine is overloaded).
// PAUSE_MS=1 waits that long before every call, so a worker has gone to sleep each time (the cold case).
// Run: node bench/gemm-threads.mjs; SIZES=64,96,128,192,256 ROUNDS=15 BLOCK=20 READ=1 (0: no read-back) PAUSE_MS=0.
import { loadavg } from 'node:os';
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';

const SIZES = (process.env.SIZES ?? '64,96,128,192,256').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BLOCK = Number(process.env.BLOCK ?? 20);
const READ = process.env.READ !== '0';
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
const wasm = await createWasmBackend({ name: 'gemm-threads', threads: 2 });
sn.registerBackend('gemm-threads', () => wasm, { priority: -1 });
await sn.setBackend('gemm-threads');
const pool = wasm.runtime.pool;
console.log(`load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ROUNDS} rounds × ${BLOCK} calls per thread count${READ ? ', result read back' : ', no read-back'}${PAUSE_MS ? `, ${PAUSE_MS} ms pause before each call` : ''}`);
console.log('n      1t least / median µs   2t least / median µs   GFLOPS 1t / 2t (least)   2t÷1t least  median   withdrawn    CPU µs/call 1t / 2t   2t calls with polling off');
const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
for (const n of SIZES) {
  const a = sn.randomNormal([n, n], { seed: 1 });
  const b = sn.randomNormal([n, n], { seed: 2 });
  const call = () => {
    const t = sn.matmul(a, b);
    if (READ) t.dataSync();
    t.dispose();
  };
  const times = { 1: [], 2: [] };
  const cpu = { 1: 0, 2: 0 };
  const withdrawn0 = pool?.withdrawn ?? 0;
  let calls2 = 0;
  let offCalls = 0;
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const threads of [1, 2]) {
      await wasm.setThreads(threads);
      const c0 = process.cpuUsage();
      for (let i = 0; i < BLOCK; i++) {
        if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        const t0 = performance.now();
        call();
        const t = performance.now() - t0;
        // Round 0 is warm-up (JIT of the host path, wasm tier-up).
        if (r > 0) times[threads].push(t * 1e3);
        if (r > 0 && threads === 2) {
          calls2++;
          if (pool && !pool.polling) offCalls++;
        }
      }
      const c = process.cpuUsage(c0);
      if (r > 0) cpu[threads] += c.user + c.system;
    }
  }
  const flops = 2 * n ** 3;
  const l1 = q(times[1], 0), l2 = q(times[2], 0), m1 = q(times[1], 0.5), m2 = q(times[2], 0.5);
  const g = (us) => (flops / us / 1e3).toFixed(1);
  console.log(`${String(n).padEnd(6)} ${l1.toFixed(0).padStart(8)} / ${m1.toFixed(0).padEnd(10)} ${l2.toFixed(0).padStart(8)} / ${m2.toFixed(0).padEnd(10)} ${g(l1).padStart(8)} / ${g(l2).padEnd(14)} ${(l2 / l1).toFixed(2).padStart(8)}  ${(m2 / m1).toFixed(2).padStart(6)}   ${`${(pool?.withdrawn ?? 0) - withdrawn0} of ${calls2}`.padEnd(11)}  ${`${(cpu[1] / times[1].length).toFixed(0)} / ${(cpu[2] / times[2].length).toFixed(0)}`.padEnd(20)}  ${offCalls}`);
  sn.dispose([a, b]);
}
console.log(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
wasm.shutdown();
process.exit(0);
