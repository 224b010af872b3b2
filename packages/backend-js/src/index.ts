/**
 * @scratchnet/backend-js: ScratchNet's plain-TypeScript backend. Importing this module registers it
 * with core under the name 'js' (priority 1, the universal fallback).
 */
import { registerBackend } from '@scratchnet/core';
import { JsBackend } from './js-backend.js';

export { JsBackend, createJsBackend } from './js-backend.js';

registerBackend('js', () => new JsBackend(), { priority: 1 });
