/** The engine half of the backend contract (memory, scopes, migration...) on the wasm backend, threaded and not. */
import '../src/index.js';
import { registerBackend } from '@scratchnet/core';
import { runEngineSuite } from '@scratchnet/core/testing';
import { createWasmBackend } from '../src/index.js';

registerBackend('wasm-1t', () => createWasmBackend({ name: 'wasm-1t', threads: 1 }), { priority: -1 });
runEngineSuite({ backend: 'wasm' });
runEngineSuite({ backend: 'wasm-1t' });
