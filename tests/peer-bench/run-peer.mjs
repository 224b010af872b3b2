// Runs one peer harness (peers/*.mjs) in a process of its own and returns its result. A process per
// peer and thread count lets each be set up as its documentation says (thread pools and V8 flags are
// fixed per process) and keeps one peer's workers from running beside another's measurements.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX } from './peers/protocol.mjs';

/** The harnesses, by name. */
export const PEER_SCRIPTS = {
  'tfjs-wasm': 'peers/tfjs-wasm.mjs',
  'onnxruntime-web': 'peers/ort-wasm.mjs',
  'jax-js': 'peers/jax-wasm.mjs',
  'jax-js-mnist': 'peers/jax-mnist-step.mjs',
  'jax-js-gpt': 'peers/jax-gpt-step.mjs',
  'tfjs-gpt': 'peers/tfjs-gpt-step.mjs',
};

/**
 * @param {keyof typeof PEER_SCRIPTS} name
 * @param {string[]} args the harness's command line (see peers/protocol.mjs)
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<Record<string, any>>} the harness's result, or `{ peer, error }`
 */
export function runPeer(name, args, { timeoutMs = 240_000 } = {}) {
  const script = fileURLToPath(new URL(PEER_SCRIPTS[name], import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs / 1000} s` : `exited with ${code ?? signal}`;
      resolve({ peer: name, error: `${why}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}
