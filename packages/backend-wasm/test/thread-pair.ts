import { afterAll, beforeAll } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';

/** A two-thread (`mt`) and a one-thread (`st`) wasm backend, started before the file's tests and shut down after them. */
export function threadPair(): { readonly mt: WasmBackend; readonly st: WasmBackend } {
  const pair = {} as { mt: WasmBackend; st: WasmBackend };
  beforeAll(async () => {
    pair.mt = await createWasmBackend({ threads: 2 });
    pair.st = await createWasmBackend({ threads: 1 });
  });
  afterAll(() => {
    pair.mt.shutdown();
    pair.st.shutdown();
  });
  return pair;
}
