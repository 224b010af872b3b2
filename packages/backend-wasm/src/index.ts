/**
 * @scratchnet/backend-wasm: ScratchNet's WebAssembly backend. Importing this module registers it with
 * core under the name 'wasm' (priority 2, so it is preferred over the JS backend where it loads).
 */
import { registerBackend } from '@scratchnet/core';
import { createWasmBackend } from './create.js';

export { createWasmBackend, defaultThreads, type WasmBackendOptions } from './create.js';
export { WasmBackend, type WasmBackendInfo } from './wasm-backend.js';
export { WasmOutOfMemoryError, type HeapStats } from './allocator.js';
export type { Isa, IsaChoice } from './loader.js';

registerBackend('wasm', () => createWasmBackend(), { priority: 2 });
