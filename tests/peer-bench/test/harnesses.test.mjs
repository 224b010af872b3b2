// Each peer harness starts its peer as set up for the benchmarks and reports what it loaded: a peer
// that silently falls back (no SIMD, no threads) fails here rather than skewing a benchmark.
import { describe, expect, it } from 'vitest';
import { runPeer } from '../run-peer.mjs';

const tiny = (threads) => ['--threads', String(threads), '--matmul', '64', '--warmup', '1', '--repeats', '1'];

describe('peer harnesses', () => {
  it('tfjs-wasm loads its SIMD binary on 1 thread', async () => {
    const r = await runPeer('tfjs-wasm', tiny(1));
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ binary: 'tfjs-backend-wasm-simd.wasm', simd: true, threads: 1 });
    expect(r.matmul[0].ms.median).toBeGreaterThan(0);
  });

  it('tfjs-wasm loads its threaded SIMD binary and starts 2 threads when forced', async () => {
    const r = await runPeer('tfjs-wasm', tiny(2));
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ binary: 'tfjs-backend-wasm-threaded-simd.wasm', simd: true, threads: 2 });
  });

  it('jax-js runs on its wasm device with relaxed SIMD and a 2-worker pool, eager and jit', async () => {
    const r = await runPeer('jax-js', tiny(2));
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ version: '0.1.25', device: 'wasm', relaxedSimd: true, threads: 2 });
    expect(r.matmul[0].eager.median).toBeGreaterThan(0);
    expect(r.matmul[0].jit.median).toBeGreaterThan(0);
  });

  it('jax-js trains an MLP step eagerly and under jit', async () => {
    const r = await runPeer('jax-js-mnist', ['--threads', '1', '--steps', 'mlp', '--warmup', '1', '--repeats', '1']);
    expect(r.error).toBeUndefined();
    expect(r.steps[0]).toMatchObject({ model: 'mlp' });
    expect(r.steps[0].jit.median).toBeGreaterThan(0);
  });

  it('onnxruntime-web runs a one-node MatMul graph', async () => {
    const r = await runPeer('onnxruntime-web', tiny(1));
    expect(r.error).toBeUndefined();
    expect(r.matmul[0].ms.median).toBeGreaterThan(0);
  });

  it('reports a harness that fails as an error instead of figures', async () => {
    const r = await runPeer('jax-js-mnist', ['--steps', 'no-such-model', '--repeats', '1']);
    expect(r.error).toMatch(/unknown model 'no-such-model'/);
  });
});
