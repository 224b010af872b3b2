// tfjs-backend-wasm (XNNPACK) as its README sets it up in Node: loaded with CommonJS `require`,
// `setWasmPaths` given the plain directory of its dist/ (ending in '/'), SIMD detected, then
// `tf.setBackend('wasm')`. `--threads 2` forces its threaded build, which tfjs switches off in Node
// (see tfjs-threads.mjs). Every timed call reads its result back and disposes it outside `tf.tidy`:
// a tidy returning the read-back array walks every element of it looking for tensors, which once cost
// this bench 95% of tfjs's matmul time.
//
//   node peers/tfjs-wasm.mjs [--threads 1|2] [--matmul 128,256] [--conv] [--warmup 2] [--repeats 5]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { matmulCallsPerRepeat, measure } from '../timing.mjs';
import { CONV_LAYERS } from './conv-layers.mjs';
import { emit, fail, parseArgs, say } from './protocol.mjs';
import { forceTfjsThreads } from './tfjs-threads.mjs';

const PEER = 'tfjs-wasm';
const require = createRequire(import.meta.url);
const args = parseArgs();

try {
  // Which of its three binaries (plain, SIMD, threaded SIMD) tfjs loads: seen as it reads the file.
  const loaded = [];
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function spy(path, ...rest) {
    if (String(path).endsWith('.wasm')) loaded.push(String(path).split('/').pop());
    return readFileSync.call(this, path, ...rest);
  };
  if (args.threads > 1) forceTfjsThreads(args.threads);
  const tf = require('@tensorflow/tfjs-core');
  const tfWasm = require('@tensorflow/tfjs-backend-wasm');
  if (args.threads > 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  tfWasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  tfWasm.setThreadsCount(args.threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
  await tf.ready();
  fs.readFileSync = readFileSync;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.backend().wasm.tfjs.getThreadsCount();
  const info = { peer: PEER, version: tfWasm.version_wasm, binary: loaded.join(', ') || 'unknown', simd, threads };
  say(`${PEER} ${info.version}: binary ${info.binary}, SIMD ${simd}, ${threads} thread(s)`);

  const run = (op) => () => {
    const out = op();
    out.dataSync();
    out.dispose();
  };
  const matmul = [];
  for (const n of args.matmul) {
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    const ms = await measure(run(() => tf.matMul(a, b)), { ...args, calls: matmulCallsPerRepeat(n) });
    tf.dispose([a, b]);
    matmul.push({ n, ms });
    say(`  matmul ${n}: median ${ms.median.toFixed(2)} ms = ${((2 * n ** 3) / ms.median / 1e6).toFixed(1)} GFLOPS`);
  }
  const conv = [];
  if (args.conv) {
    for (const l of CONV_LAYERS) {
      const x = tf.randomNormal([l.n, l.h, l.h, l.c], 0, 1, 'float32', 3); // tfjs is NHWC
      const w = tf.randomNormal([3, 3, l.c, l.o], 0, 1, 'float32', 4);
      const ms = await measure(run(() => tf.conv2d(x, w, 1, 'same')), args);
      tf.dispose([x, w]);
      conv.push({ layer: l.name, ms });
      say(`  conv ${l.name}: median ${ms.median.toFixed(2)} ms`);
    }
  }
  emit({ ...info, matmul, conv });
} catch (e) {
  fail(PEER, e);
}
