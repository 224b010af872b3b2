// Fused elementwise micro-benchmark (issue 14): a 6-step chain over 1M float32 elements, fused vs one
// kernel per step, on backend-js and backend-wasm (1 and 2 threads), the wasm tile interpreter at
// several tile sizes, and — to weigh the other design, SIMD code emitted per program at run time —
// the same chain written as one hand-fused SIMD loop (what an ideal emitter would produce), compiled
// here with asc. Run with `node bench/fused.mjs` after a build (`--quick`: fewer repeats).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runFusedUnfused } from '@scratchnet/core';
import { JsBackend } from '@scratchnet/backend-js';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import { fusedTile, setFusedTile } from '../dist/fused.js';
import { timeChain } from '@scratchnet/peer-bench/fused-chain';
import { fmt, row } from '@scratchnet/peer-bench/format';
import { measure } from '@scratchnet/peer-bench/timing';

const quick = process.argv.includes('--quick');
const N = 1 << 20;
const opts = { warmup: quick ? 1 : 2, repeats: quick ? 3 : 15 };
const W = [26, 12, 12, 9];
const line = (name, t) => row([name, fmt(t.fused.min, 2), fmt(t.unfused.min, 2), `${fmt(t.unfused.min / t.fused.min, 2)}×`], W);

console.log(`Fused 6-step elementwise chain over ${N} float32 elements: fastest of ${opts.repeats} calls, ms (the least load-sensitive figure on a shared machine)\n`);
row(['backend', 'fused', 'unfused', 'speed-up'], W);
line('js', await timeChain(new JsBackend(), N, runFusedUnfused, opts));
const st = await createWasmBackend({ name: 'wasm-1t', threads: 1 });
const mt = await createWasmBackend({ name: 'wasm-2t', threads: 2 });
line(`wasm 1 thread (${st.info().isa})`, await timeChain(st, N, runFusedUnfused, opts));
line('wasm 2 threads', await timeChain(mt, N, runFusedUnfused, opts));

console.log(`\nwasm tile interpreter, 1 thread, by tile size (elements of 4 bytes per value; this 9-value program gets ${fusedTile(9)} by default)`);
row(['tile', 'fused ms'], [26, 12]);
for (const tile of [256, 512, 1024, 2048, 4096, 16384]) {
  setFusedTile(tile);
  row([tile, fmt((await timeChain(st, N, runFusedUnfused, opts)).fused.min, 2)], [26, 12]);
}
setFusedTile(null);
st.shutdown();
mt.shutdown();

// The run-time-emission alternative at its best: the chain as one SIMD loop, all steps in registers.
const SOURCE = `
export function chain(x: usize, y: usize, out: usize, n: i32): void {
  const half = f32x4.splat(0.5);
  const zero = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const p = <usize>i << 2;
    const a = v128.load(x + p);
    const b = v128.load(y + p);
    const s = f32x4.add(f32x4.mul(a, b), a);
    const r = v128.bitselect(zero, s, f32x4.le(s, zero));
    v128.store(out + p, f32x4.max(f32x4.sub(f32x4.mul(r, half), b), a));
  }
}`;
const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const dir = mkdtempSync(join(tmpdir(), 'fused-bench-'));
writeFileSync(join(dir, 'chain.ts'), SOURCE);
const built = spawnSync(process.execPath, [asc, join(dir, 'chain.ts'), '-O3', '--runtime', 'stub', '--noAssert', '--importMemory', '--enable', 'simd', '-o', join(dir, 'chain.wasm')], { stdio: 'inherit' });
if (built.status === 0) {
  const memory = new WebAssembly.Memory({ initial: 3 * N * 4 / 65536 + 2 });
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, 'chain.wasm')), { env: { memory, abort: () => { throw new Error('abort'); } } });
  const f32 = new Float32Array(memory.buffer);
  for (let i = 0; i < 2 * N; i++) f32[i] = Math.sin(i * 0.37) * 2;
  const t = await measure(() => instance.exports.chain(0, 4 * N, 8 * N, N), opts);
  console.log(`\nhand-fused SIMD loop (the ceiling of per-program emitted code), 1 thread: ${fmt(t.min, 2)} ms`);
}
