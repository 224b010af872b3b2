// The fused-elementwise micro-benchmark shared by the backends' `bench` scripts: a 6-step chain over
// n float32 elements, run as one fused kernel (Backend.fusedElementwise) and one kernel per step
// (core's runFusedUnfused, passed in: this package does not depend on core), outputs disposed after each call.
import { measure } from './timing.mjs';

/**
 * The chain: relu(x·y + x) · 0.5 − y, then the maximum with x: six ops (and one constant), every one
 * with a SIMD form in the wasm kernels, as an optimizer update or an activation epilogue looks.
 * @param {number} n
 */
export function chainProgram(n) {
  return {
    inputs: [{ shape: [n], dtype: 'float32' }, { shape: [n], dtype: 'float32' }],
    outShape: [n],
    instructions: [
      { kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' },
      { kind: 'binary', op: 'add', args: [2, 0], dtype: 'float32' },
      { kind: 'unary', op: 'relu', arg: 3 },
      { kind: 'const', value: 0.5, dtype: 'float32' },
      { kind: 'binary', op: 'mul', args: [4, 5], dtype: 'float32' },
      { kind: 'binary', op: 'sub', args: [6, 1], dtype: 'float32' },
      { kind: 'binary', op: 'maximum', args: [7, 0], dtype: 'float32' },
    ],
    outputs: [8],
  };
}

/**
 * Times the chain fused and unfused on `backend` (after `settle`, which waits for queued GPU work).
 * @param {any} backend a ScratchNet backend with fusedElementwise
 * @param {number} n
 * @param {(backend: any, program: any, refs: any[]) => unknown[]} runFusedUnfused core's function
 * @param {{ warmup?: number, repeats?: number, settle?: () => Promise<void> | void }} [options]
 */
export async function timeChain(backend, n, runFusedUnfused, { warmup = 2, repeats = 7, settle = () => undefined } = {}) {
  const program = chainProgram(n);
  const values = (seed) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 2);
  const refs = program.inputs.map((x, k) => ({ id: backend.write(values(k), 'float32'), shape: x.shape, dtype: x.dtype }));
  const run = (f) => async () => {
    const ids = f();
    await settle();
    for (const id of ids) backend.dispose(id);
  };
  try {
    const fused = await measure(run(() => backend.fusedElementwise(program, refs)), { warmup, repeats });
    const unfused = await measure(run(() => runFusedUnfused(backend, program, refs)), { warmup, repeats });
    return { fused, unfused };
  } finally {
    for (const r of refs) backend.dispose(r.id);
  }
}
