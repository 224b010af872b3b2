// A user's page: import core and the backend, nothing else. Vite must emit the .wasm builds.
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-wasm';

const warnings = [];
const warn = console.warn;
console.warn = (...args) => {
  warnings.push(args.join(' '));
  warn(...args);
};
try {
  await sn.ready();
  const a = sn.tensor([[1, 2], [3, 4]]);
  const b = sn.tensor([[5, 6], [7, 8]]);
  const c = sn.matmul(a, b).relu();
  const big = sn.randomNormal([300, 300], { seed: 1 });
  const s = sn.matmul(big, big).sum();
  window.__result = { backend: sn.getBackend().name, info: sn.getBackend().info(), c: Array.from(await c.data()), big: (await s.data())[0], warnings };
} catch (e) {
  window.__result = { error: String(e && e.stack ? e.stack : e) };
}
