// Forces tfjs-backend-wasm's threaded SIMD build in Node, where tfjs switches threads off
// (WASM_HAS_MULTITHREAD_SUPPORT is false under IS_NODE). Its Emscripten glue then needs three things
// Node lacks: worker scripts it hands over as blob: URLs (worker_threads takes files), a main script
// posted to each worker as a Blob (its workers load only paths), and a core count: XNNPACK caps its pool
// at half of `os.cpus()`. This writes each Blob tfjs makes to a temporary file, passes that path instead,
// and reports twice the cores. Call it before tfjs is first required; the process is the peer's alone.
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** @param {number} threads the thread count asked of tfjs (its pool is capped at os.cpus() / 2). */
export function forceTfjsThreads(threads) {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'tfjs-threads-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const sources = new WeakMap();
  const files = new WeakMap();
  const NativeBlob = globalThis.Blob;
  globalThis.Blob = class SourceBlob extends NativeBlob {
    constructor(parts = [], options) {
      super(parts, options);
      if (parts.every((p) => typeof p === 'string')) sources.set(this, parts.join(''));
    }
  };
  // The main script is its factory's source text: in the worker it is evaluated at global scope, where
  // the bundle's module-level names (its required modules, __dirname) do not exist; define them first.
  const prelude =
    "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), " +
    `require$$4 = require('os'), commonjsGlobal = globalThis, __dirname = ${JSON.stringify(dir)};\n`;
  const fileOf = (blob) => {
    let file = files.get(blob);
    if (!file) {
      file = join(dir, `blob-${fs.readdirSync(dir).length}.cjs`);
      fs.writeFileSync(file, prelude + sources.get(blob));
      files.set(blob, file);
    }
    return file;
  };
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => (sources.has(blob) ? fileOf(blob) : createObjectURL(blob));
  const revokeObjectURL = URL.revokeObjectURL;
  URL.revokeObjectURL = (url) => (url.startsWith('blob:') ? revokeObjectURL(url) : undefined);
  const postMessage = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function post(message, ...rest) {
    if (message?.cmd === 'load' && sources.has(message.urlOrBlob)) message = { ...message, urlOrBlob: fileOf(message.urlOrBlob) };
    return postMessage.call(this, message, ...rest);
  };
  const cpus = os.cpus;
  const wanted = Math.max(threads * 2, cpus().length);
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: wanted }, (_, i) => real[i % real.length]);
  };
}
