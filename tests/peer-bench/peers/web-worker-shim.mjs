// A global `Worker` (the Web Worker API jax-js expects for its wasm threads) over Node's
// worker_threads, plus `navigator.hardwareConcurrency`, which sizes jax-js's pool. jax-js builds its
// worker from a blob: URL of its source and talks to it with `onmessage` / `postMessage`; the source
// runs here in a worker_threads worker after a prelude that gives it `self` and `postMessage`.
import { resolveObjectURL } from 'node:buffer';
import { Worker as ThreadWorker } from 'node:worker_threads';

const PRELUDE = `const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (data) => parentPort.postMessage(data);
parentPort.on('message', (data) => self.onmessage?.({ data }));
`;

/** A Web Worker whose script is a blob: URL, run as a worker_threads worker. */
class BlobWorker {
  onmessage = null;
  onerror = null;
  #thread = null;
  #pending = [];

  constructor(url) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`web-worker shim: ${String(url)} is not a live blob: URL`);
    // The blob's text arrives asynchronously; messages posted meanwhile wait in #pending.
    void blob.text().then((source) => {
      const thread = new ThreadWorker(PRELUDE + source, { eval: true });
      thread.on('message', (data) => this.onmessage?.({ data }));
      thread.on('error', (e) => this.onerror?.(e));
      this.#thread = thread;
      for (const message of this.#pending) thread.postMessage(message);
      this.#pending = null;
    });
  }

  postMessage(message) {
    if (this.#thread) this.#thread.postMessage(message);
    else this.#pending.push(message);
  }

  terminate() {
    void this.#thread?.terminate();
  }
}

/**
 * Gives Node 20 the `navigator` that Node 21+ has (jax-js reads its userAgent and hardwareConcurrency),
 * reporting `threads` cores: jax-js sizes its worker pool by it.
 */
export function installNavigator(threads) {
  const userAgent = `Node.js/${process.versions.node.split('.')[0]}`;
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent, hardwareConcurrency: threads }, configurable: true });
}

/** Installs the Web Worker shim. Call before jax-js starts its wasm device. */
export function installWebWorkers() {
  globalThis.Worker = BlobWorker;
}
