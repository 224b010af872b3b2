// One thread against two on small and middle matmuls, as the bench calls them (sn.matmul, then the
// result read back), in one process: blocks of back-to-back calls on 1 thread, then on 2, for ROUNDS
// rounds per size, so machine load hits both alike and the 2-thread calls follow each other as in
// `run.mjs` (a worker still awake from the previous call). With AGAINST=<dist folder of another build of
// this package, beside wasm/> the two builds take turns too. For a build of other host-side sources
// (the same .wasm), from packages/backend-wasm: `git checkout <commit> -- src && npx tsc -p
// tsconfig.build.json && cp -r dist dist-base && git checkout HEAD -- src && npx tsc -p
// tsconfig.build.json`, then AGAINST=dist-base (delete dist-base after).
// Prints per size, build and thread count the least and the median wall time of a call (µs) and GFLOPS
// at both; per build the ratio of 2 threads' least and median times over 1 thread's (below 1: two won),
// how many worker calls were withdrawn (the calling thread had done all the work before the worker
// woke), the process's CPU time per call, and after how many 2-thread calls polling was off (the pool
// found a worker without a core: the machine is overloaded).
// PAUSE_MS=1 waits that long before every call, so a worker has gone to sleep each time (the cold case).
// Run: node bench/gemm-threads.mjs; SIZES=64,96,128,192,256 ROUNDS=15 BLOCK=20 (calls per block at
// n = 128, scaled by (128/n)^3, at least 3) READ=1 (0: no read-back) PAUSE_MS=0 AGAINST=.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';

const SIZES = (process.env.SIZES ?? '64,96,128,192,256').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BLOCK = Number(process.env.BLOCK ?? 20);
const READ = process.env.READ !== '0';
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
const builds = [{ label: 'this build', create: createWasmBackend }];
if (process.env.AGAINST) {
  const other = await import(pathToFileURL(resolve(process.env.AGAINST, 'index.js')).href);
  builds.unshift({ label: `AGAINST ${process.env.AGAINST.split('/').filter(Boolean).pop()}`, create: other.createWasmBackend });
}
for (const [i, b] of builds.entries()) {
  b.name = `gemm-threads-${i}`;
  b.wasm = await b.create({ name: b.name, threads: 2 });
  sn.registerBackend(b.name, () => b.wasm, { priority: -1 });
}
console.log(`load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ROUNDS} rounds × ${BLOCK} calls (at n = 128) per build and thread count` +
  `${READ ? ', result read back' : ', no read-back'}${PAUSE_MS ? `, ${PAUSE_MS} ms pause before each call` : ''}`);
console.log('n      build           1t least / median µs (GFLOPS)   2t least / median µs (GFLOPS)   2t÷1t least median   withdrawn     CPU µs/call 1t / 2t   2t calls with polling off');
const q = (xs, f) => [...xs].sort((x, y) => x - y)[Math.floor(f * (xs.length - 1))];
for (const n of SIZES) {
  const calls = Math.max(3, Math.round(BLOCK * (128 / n) ** 3));
  const state = [];
  for (const b of builds) {
    await sn.setBackend(b.name);
    state.push({
      a: sn.randomNormal([n, n], { seed: 1 }), b: sn.randomNormal([n, n], { seed: 2 }),
      times: { 1: [], 2: [] }, cpu: { 1: 0, 2: 0 }, withdrawn0: b.wasm.runtime.pool?.withdrawn ?? 0, calls2: 0, off: 0,
    });
  }
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const [bi, build] of builds.entries()) {
      const s = state[bi];
      const pool = build.wasm.runtime.pool;
      await sn.setBackend(build.name);
      for (const threads of [1, 2]) {
        await build.wasm.setThreads(threads);
        const c0 = process.cpuUsage();
        for (let i = 0; i < calls; i++) {
          if (PAUSE_MS > 0) await new Promise((done) => setTimeout(done, PAUSE_MS));
          const t0 = performance.now();
          const t = sn.matmul(s.a, s.b);
          if (READ) t.dataSync();
          t.dispose();
          const us = (performance.now() - t0) * 1e3;
          // Round 0 is warm-up (JIT of the host path, wasm tier-up).
          if (r === 0) continue;
          s.times[threads].push(us);
          if (threads === 2) {
            s.calls2++;
            if (pool && pool.polling === false) s.off++;
          }
        }
        const c = process.cpuUsage(c0);
        if (r > 0) s.cpu[threads] += c.user + c.system;
      }
    }
  }
  const flops = 2 * n ** 3;
  const g = (us) => (flops / us / 1e3).toFixed(1);
  for (const [bi, build] of builds.entries()) {
    const s = state[bi];
    const l1 = q(s.times[1], 0), l2 = q(s.times[2], 0), m1 = q(s.times[1], 0.5), m2 = q(s.times[2], 0.5);
    const cell = (l, m) => `${l.toFixed(0).padStart(6)} / ${m.toFixed(0).padEnd(6)} (${g(l)} / ${g(m)})`.padEnd(31);
    const withdrawn = `${(build.wasm.runtime.pool?.withdrawn ?? 0) - s.withdrawn0} of ${s.calls2}`;
    const cpu = `${(s.cpu[1] / s.times[1].length).toFixed(0)} / ${(s.cpu[2] / s.times[2].length).toFixed(0)}`;
    console.log(`${String(n).padEnd(6)} ${build.label.slice(0, 15).padEnd(15)} ${cell(l1, m1)} ${cell(l2, m2)} ${(l2 / l1).toFixed(2).padStart(6)} ${(m2 / m1).toFixed(2).padStart(6)}   ${withdrawn.padEnd(12)}  ${cpu.padEnd(20)}  ${s.off}`);
  }
  for (const [bi, build] of builds.entries()) {
    await sn.setBackend(build.name);
    sn.dispose([state[bi].a, state[bi].b]);
  }
}
console.log(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const b of builds) b.wasm.shutdown();
process.exit(0);
