// jax-js matmul on its wasm device, eagerly and under `jit`, at 1 thread or with a worker pool.
// Every timed call reads the product back (`await data()`), as the other contenders do.
//
//   node peers/jax-wasm.mjs [--threads 1|2] [--matmul 128,256] [--warmup 2] [--repeats 5]
import { matmulCallsPerRepeat, measure } from '../timing.mjs';
import { startJax } from './jax-setup.mjs';
import { emit, fail, parseArgs, say } from './protocol.mjs';

const PEER = 'jax-js';
const args = parseArgs();

try {
  const { jax, info } = await startJax(args.threads);
  const { numpy: np, random } = jax;
  say(`${PEER} ${info.version}: wasm device, relaxed SIMD ${info.relaxedSimd}, ${info.threads} thread(s)`);
  const eager = (a, b) => np.matmul(a, b);
  const jitted = jax.jit((a, b) => np.matmul(a, b));
  const matmul = [];
  for (const n of args.matmul) {
    const a = random.normal(random.key(1), [n, n]);
    const b = random.normal(random.key(2), [n, n]);
    const row = { n };
    for (const [name, f] of [['eager', eager], ['jit', jitted]]) {
      row[name] = await measure(async () => {
        await f(a.ref, b.ref).data();
      }, { ...args, calls: matmulCallsPerRepeat(n) });
      say(`  matmul ${n} ${name}: median ${row[name].median.toFixed(2)} ms = ${((2 * n ** 3) / row[name].median / 1e6).toFixed(1)} GFLOPS`);
    }
    a.dispose();
    b.dispose();
    matmul.push(row);
  }
  jitted.dispose?.();
  emit({ peer: PEER, ...info, matmul });
} catch (e) {
  fail(PEER, e);
}
