// A/B of two builds of the GEMM kernel in one process, one thread: each build gets its own instance and
// memory, the same operands, and the shapes run round-robin (build A, build B, next shape, ...) for ROUNDS
// rounds, so machine load hits both alike. Prints best wall-clock GFLOPS and best GFLOPS per CPU-second
// per shape and build, and B's ratio over A per CPU-second (the figure to trust on a shared machine).
// Calls the `gemm` / `gemmBatch` exports directly: no host-side overhead, no read-back.
// Run: node bench/gemm-ab.mjs <a.wasm> <b.wasm>   (private-memory relaxed builds, e.g. wasm/relaxed.wasm)
// SHAPES="m,k,n,tA,tB[,batch];..." overrides the shape list; ROUNDS= the rounds.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const [fileA, fileB] = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const DEFAULT = [
  [128, 128, 128], [256, 256, 256], [512, 512, 512],
  [2048, 128, 512], [2048, 512, 128], [2048, 128, 128],
  [128, 2048, 512, 1, 0], [128, 2048, 128, 1, 0], [2048, 512, 128, 0, 1], [2048, 128, 512, 0, 1],
  [64, 32, 64, 0, 1, 128], [64, 64, 32, 0, 0, 128], [64, 64, 32, 1, 0, 128], [64, 64, 64, 1, 0, 128],
];
const shapes = process.env.SHAPES
  ? process.env.SHAPES.split(';').map((s) => s.split(',').map(Number))
  : DEFAULT;

async function load(file) {
  const memory = new WebAssembly.Memory({ initial: 2048 });
  const { instance } = await WebAssembly.instantiate(readFileSync(file), { env: { memory, abort: () => { throw new Error('abort'); } } });
  const ex = instance.exports;
  let top = 1 << 20;
  const alloc = (bytes) => {
    const p = top;
    top = Math.ceil((top + bytes) / 4096) * 4096 + 4096;
    return p;
  };
  const f32 = new Float32Array(memory.buffer);
  const runs = shapes.map(([m, k, n, tA = 0, tB = 0, batch = 1]) => {
    const a = alloc(batch * m * k * 4), b = alloc(batch * k * n * 4), c = alloc(batch * m * n * 4);
    for (let i = 0; i < batch * m * k; i++) f32[a / 4 + i] = Math.sin(i);
    for (let i = 0; i < batch * k * n; i++) f32[b / 4 + i] = Math.cos(i);
    const rsa = tA ? 1 : k, csa = tA ? m : 1, rsb = tB ? 1 : n, csb = tB ? k : 1;
    const work = alloc(ex.gemmWorkBytes() + 64);
    if (batch === 1) return () => ex.gemm(m, n, k, a, rsa, csa, b, rsb, csb, c, n, 0, work);
    const info = alloc(64), counter = alloc(64);
    new Int32Array(memory.buffer, info, 10).set([m, n, k, rsa, csa, rsb, csb, batch, m * k, k * n]);
    return () => {
      new Int32Array(memory.buffer, counter, 1)[0] = 0;
      ex.gemmBatch(info, a, b, c, work, counter);
    };
  });
  return runs;
}

const A = await load(fileA);
const B = await load(fileB);
const stats = shapes.map(() => ({ a: { w: Infinity, c: Infinity }, b: { w: Infinity, c: Infinity } }));
const time = (fn, s) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const w = performance.now() - t0;
  const u = process.cpuUsage(c0);
  s.w = Math.min(s.w, w);
  s.c = Math.min(s.c, (u.user + u.system) / 1000);
};
for (let i = 0; i < shapes.length; i++) for (let r = 0; r < 3; r++) { A[i](); B[i](); }
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < shapes.length; i++) {
    // Repeat tiny calls so one timing covers about a millisecond (CPU time has ~1 ms granularity here).
    const [m, k, n, , , batch = 1] = shapes[i];
    const reps = Math.max(1, Math.round(2e7 / (m * k * n * batch)));
    const many = (f) => () => { for (let j = 0; j < reps; j++) f(); };
    time(many(A[i]), stats[i].a);
    time(many(B[i]), stats[i].b);
  }
}
console.log(`A = ${fileA}\nB = ${fileB}\n${ROUNDS} rounds; GFLOPS: best wall / best per CPU-s`);
shapes.forEach(([m, k, n, tA = 0, tB = 0, batch = 1], i) => {
  const reps = Math.max(1, Math.round(2e7 / (m * k * n * batch)));
  const fl = (2 * m * k * n * batch * reps) / 1e6;
  const { a, b } = stats[i];
  const name = `${batch > 1 ? `${batch}× ` : ''}${m}x${k}${tA ? 'ᵀ' : ''} · ${k}x${n}${tB ? 'ᵀ' : ''}`;
  console.log(`${name.padEnd(26)} A ${(fl / a.w).toFixed(1).padStart(5)} / ${(fl / a.c).toFixed(1).padStart(5)}   B ${(fl / b.w).toFixed(1).padStart(5)} / ${(fl / b.c).toFixed(1).padStart(5)}   B/A per CPU ${(a.c / b.c).toFixed(3)}`);
});
