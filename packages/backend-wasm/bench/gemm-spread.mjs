// Small experiments on the sources of run-to-run spread of the wasm GEMM (issue 16). Each experiment
// compares variants interleaved in one process (round-robin, many rounds) so machine load hits every
// variant alike; it reports the best and the median GFLOPS per variant, and CPU-time GFLOPS (the
// process's CPU seconds, which time slices taken by other processes do not inflate).
// Run: node bench/gemm-spread.mjs [tierup|align|fresh|pow2|faults|wake|split|all]; N=, ROUNDS=, THREADS=,
// SIZES= set the size, the rounds and the threads.
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';

const which = process.argv[2] ?? 'all';
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wasm = await createWasmBackend({ threads: Number(process.env.THREADS ?? 1) });
const rt = wasm.runtime;
const ex = rt.exports;
const mem = () => new Float32Array(rt.memory.buffer);

/** Allocates `bytes` at an address ≡ `mod` (mod 4096). */
function allocAt(bytes, mod) {
  const p = rt.heap.alloc(bytes + 8192);
  const base = Math.ceil(p / 4096) * 4096;
  return base + mod;
}
function fillRandom(ptr, len) {
  const f = mem();
  for (let i = 0; i < len; i++) f[ptr / 4 + i] = Math.random() - 0.5;
}
/** Times one call; returns [wall ms, cpu ms]. */
function time(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const t = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [t, (c.user + c.system) / 1000];
}
/** Round-robin over variants; prints best / median wall GFLOPS and best CPU GFLOPS. */
function compare(title, flops, variants) {
  const wall = variants.map(() => []);
  const cpu = variants.map(() => []);
  for (const v of variants) { v.run(); v.run(); }
  for (let r = 0; r < ROUNDS; r++) {
    variants.forEach((v, i) => {
      const [t, c] = time(v.run);
      wall[i].push(t);
      cpu[i].push(c);
    });
  }
  console.log(`\n${title}`);
  variants.forEach((v, i) => {
    const g = (ms) => (flops / ms / 1e6).toFixed(1);
    const w = wall[i];
    console.log(`  ${v.name.padEnd(44)} best ${g(Math.min(...w)).padStart(6)}  median ${g(med(w)).padStart(6)}  worst ${g(Math.max(...w)).padStart(6)}  cpu-best ${g(Math.min(...cpu[i])).padStart(6)} GFLOPS`);
  });
}

const N = Number(process.env.N ?? 512);
const flops = 2 * N ** 3;
const work = allocAt(ex.gemmWorkBytes(), 0);

if (which === 'tierup' || which === 'all') {
  // A fresh instance: how long until the gemm runs at full speed (Liftoff → TurboFan tier-up)?
  const fresh = await createWasmBackend({ threads: 1 });
  const fx = fresh.runtime.exports;
  const fr = fresh.runtime;
  const a = fr.heap.alloc(N * N * 4), b = fr.heap.alloc(N * N * 4), c = fr.heap.alloc(N * N * 4), w = fr.heap.alloc(fx.gemmWorkBytes());
  const line = [];
  for (let i = 0; i < 12; i++) {
    const [t, cpu] = time(() => fx.gemm(N, N, N, a, N, 1, b, N, 1, c, N, 0, w));
    line.push(`${(flops / t / 1e6).toFixed(0)}/${(flops / cpu / 1e6).toFixed(0)}`);
  }
  console.log(`\ntier-up: GFLOPS of the first 12 gemm calls (n=${N}) on a fresh instance (wall/cpu): ${line.join(' ')}`);
  fresh.shutdown();
}

if (which === 'align' || which === 'all') {
  // Operand / scratch addresses: same matrices, different offsets mod 4096 (64-byte aligned or not).
  const len = N * N;
  const mk = (name, ma, mb, mc, mw) => {
    const a = allocAt(len * 4, ma), b = allocAt(len * 4, mb), c = allocAt(len * 4, mc), w = allocAt(ex.gemmWorkBytes(), mw);
    fillRandom(a, len); fillRandom(b, len);
    return { name, run: () => ex.gemm(N, N, N, a, N, 1, b, N, 1, c, N, 0, w) };
  };
  compare(`alignment, n=${N} (offsets of A, B, C, scratch mod 4096)`, flops, [
    mk('all page-aligned (0,0,0,0)', 0, 0, 0, 0),
    mk('cache-line staggered (0,64,128,192)', 0, 64, 128, 192),
    mk('half-page staggered (0,2048,1024,3072)', 0, 2048, 1024, 3072),
    mk('A,B,C 16-byte off a line (16,48,80,0)', 16, 48, 80, 0),
    mk('A,B,C 4-byte (unaligned SIMD) (4,36,68,0)', 4, 36, 68, 0),
    mk('scratch off a line (0,64,128,4)', 0, 64, 128, 4),
  ]);
}

if (which === 'fresh' || which === 'all') {
  // Page faults: the output and scratch in memory grown just before the call vs memory touched before.
  const len = N * N;
  const a = allocAt(len * 4, 0), b = allocAt(len * 4, 64), c = allocAt(len * 4, 128);
  fillRandom(a, len); fillRandom(b, len);
  const bytes = (len * 4 + ex.gemmWorkBytes() + 65536 * 2);
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const pages = Math.ceil(bytes / 65536);
    const at = rt.memory.grow(pages) * 65536;
    const cf = at, wf = at + len * 4 + 64;
    const [tf, cpuf] = time(() => ex.gemm(N, N, N, a, N, 1, b, N, 1, cf, N, 0, wf));
    const [tw, cpuw] = time(() => ex.gemm(N, N, N, a, N, 1, b, N, 1, cf, N, 0, wf));
    const [tr] = time(() => ex.gemm(N, N, N, a, N, 1, b, N, 1, c, N, 0, work));
    runs.push([tf, tw, tr, cpuf, cpuw]);
  }
  const g = (ms) => (flops / ms / 1e6).toFixed(1);
  const col = (j) => runs.map((r) => r[j]);
  console.log(`\nfresh memory, n=${N}: output + scratch in just-grown pages: median ${g(med(col(0)))} GFLOPS (cpu ${g(med(col(3)))}); the same pages on the next call ${g(med(col(1)))} (cpu ${g(med(col(4)))}); long-lived buffers ${g(med(col(2)))}`);
}

if (which === 'pow2' || which === 'all') {
  // Power-of-two leading dimensions: n = 1024 against neighbours, GFLOPS per size.
  const vs = [];
  for (const n of (process.env.SIZES ?? '1000,1024,1032,1048').split(',').map(Number)) {
    const len = n * n;
    const a = allocAt(len * 4, 0), b = allocAt(len * 4, 64), c = allocAt(len * 4, 128);
    fillRandom(a, len); fillRandom(b, len);
    vs.push({ n, name: `n=${n}`, run: () => ex.gemm(n, n, n, a, n, 1, b, n, 1, c, n, 0, work) });
  }
  for (const v of vs) compare(`leading dimension ${v.n}`, 2 * v.n ** 3, [v]);
}

if (which === 'faults' || which === 'all') {
  // Minor page faults per call as the bench makes it (sn.matmul, then the result read back), after
  // warm-up: the kernel's own memory is reused, the read-back's fresh JS array is not.
  sn.registerBackend('spread', () => wasm, { priority: -1 });
  await sn.setBackend('spread');
  for (const n of [128, 256, 512, 1024]) {
    const a = sn.randomNormal([n, n], { seed: 1 });
    const b = sn.randomNormal([n, n], { seed: 2 });
    const count = (read) => {
      const call = () => {
        const t = sn.matmul(a, b);
        if (read) t.dataSync();
        t.dispose();
      };
      call();
      call();
      const f = [];
      for (let i = 0; i < ROUNDS; i++) {
        const f0 = process.resourceUsage().minorPageFault;
        call();
        f.push(process.resourceUsage().minorPageFault - f0);
      }
      return med(f);
    };
    // What those faults cost: copying the result out into a fresh array against into a reused one.
    const src = allocAt(n * n * 4, 0);
    const view = new Float32Array(rt.memory.buffer, src, n * n);
    const reuse = new Float32Array(n * n);
    const fresh = [];
    const reused = [];
    for (let i = 0; i < ROUNDS; i++) {
      fresh.push(time(() => view.slice())[0]);
      reused.push(time(() => reuse.set(view))[0]);
    }
    console.log(`page faults per call, n=${n} (median of ${ROUNDS}): matmul alone ${count(false)}, matmul + read back ${count(true)} ` +
      `(a fresh result array is ${n * n * 4 / 4096} pages); copying the result out: ${(med(fresh) * 1e3).toFixed(0)} µs into a fresh array, ` +
      `${(med(reused) * 1e3).toFixed(0)} µs into a reused one`);
    sn.dispose([a, b]);
  }
}

if (which === 'wake' || which === 'all') {
  // Waking a worker: round trip of an empty kernel call through the pool (Atomics.notify → wait).
  if (rt.pool === null || rt.threads < 2) {
    console.log('\nwake: needs THREADS=2');
  } else {
    // The round trip after a gap of each length: a worker polls for a while after a call (the window
    // the pool sizes from the gaps it sees), then sleeps in Atomics.wait, and a sleeping worker's
    // virtual CPU halts within a millisecond; waking it costs a futex and an interrupt to that CPU.
    const busyWait = (ms) => { const until = performance.now() + ms; while (performance.now() < until); };
    const lists = [[1, 1], [1, 2]]; // the peak loop for one iteration: an empty call
    for (const gapMs of [0, 0.02, 0.2, 1, 5, 20]) {
      const ts = [];
      for (let i = 0; i < (gapMs >= 1 ? 200 : 2000); i++) {
        if (gapMs >= 1) await new Promise((r) => setTimeout(r, gapMs));
        else busyWait(gapMs);
        const t0 = performance.now();
        rt.runLists('peak', lists);
        ts.push(performance.now() - t0);
      }
      ts.sort((x, y) => x - y);
      const q = (f) => (ts[Math.floor(f * (ts.length - 1))] * 1e3).toFixed(0);
      console.log(`${gapMs === 0 ? '\n' : ''}wake round trip (empty call on 2 threads) ${gapMs} ms after the last, µs: min ${q(0)} p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}` +
        `; polling at the end: ${rt.pool.polling}`);
    }
  }
}
if (which === 'split' || which === 'all') {
  // One call's work on 1 or 2 threads: the plain gemm, gemmShared (each thread packs all of B, rows
  // handed out in chunks from a counter) on 1 and 2 threads, and the plain gemm on two fixed halves.
  if (rt.pool === null || rt.threads < 2) throw new Error('split: needs THREADS=2');
  const sizes = (process.env.SIZES ?? '128,192,256,512,1024').split(',').map(Number);
  for (const n of sizes) {
    const len = n * n;
    const a = allocAt(len * 4, 0), b = allocAt(len * 4, 64), c = allocAt(len * 4, 128);
    fillRandom(a, len); fillRandom(b, len);
    const sw = ex.gemmSharedWorkBytes(n, n);
    const stride = Math.ceil(sw / 64) * 64;
    const sh = allocAt(stride * 2 + 4096, 0);
    const counters = sh + stride * 2;
    const w2 = allocAt(ex.gemmWorkBytes() * 2 + 128, 0);
    const chunk = Math.min(48, Math.max(12, Math.ceil(n / 16 / 12) * 12));
    const shared = (parts, rows = chunk, withdraw = true) => () => {
      new Int32Array(rt.memory.buffer, counters, 1024).fill(0);
      const lists = [];
      for (let p = 0; p < parts; p++) lists.push([n, n, n, a, n, 1, b, n, 1, c, n, 0, sh + p * stride, counters, rows, parts]);
      rt.runLists('gemmShared', lists, withdraw);
    };
    const half = Math.ceil(n / 2 / 12) * 12;
    const halves = () => rt.runLists('gemm', [
      [half, n, n, a, n, 1, b, n, 1, c, n, 0, w2],
      [n - half, n, n, a + half * n * 4, n, 1, b, n, 1, c + half * n * 4, n, 0, w2 + ex.gemmWorkBytes() + 64],
    ]);
    compare(`threads, n=${n}`, 2 * n ** 3, [
      { name: 'gemm, 1 thread', run: () => ex.gemm(n, n, n, a, n, 1, b, n, 1, c, n, 0, work) },
      { name: `gemmShared, 1 thread (chunk ${chunk})`, run: shared(1) },
      { name: 'gemmShared, 1 thread (chunk 96)', run: shared(1, 96) },
      { name: 'gemmShared, 1 thread (chunk 192)', run: shared(1, 192) },
      { name: `gemmShared, 2 threads (chunk ${chunk})`, run: shared(2) },
      { name: 'gemmShared, 2 threads (chunk 96)', run: shared(2, 96) },
      { name: `gemmShared, 2 threads (chunk ${chunk}), late worker waited for`, run: shared(2, chunk, false) },
      { name: 'gemm on two fixed row halves', run: halves },
    ]);
  }
}

wasm.shutdown();
process.exit(0);
