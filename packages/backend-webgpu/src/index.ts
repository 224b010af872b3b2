/**
 * @scratchnet/backend-webgpu: ScratchNet's WebGPU backend, every kernel a WGSL compute shader. Importing
 * this module registers it with core under the name 'webgpu' (priority 3). Registering never touches the
 * GPU: the adapter is requested when the backend is first selected, and `setBackend('webgpu')` rejects
 * with the reason where there is none.
 */
import { registerBackend } from '@scratchnet/core';
import { createWebGpuBackend } from './webgpu-backend.js';

export { WebGpuBackend, createWebGpuBackend, isAvailable, unavailableReason } from './webgpu-backend.js';
export type { WebGpuBackendOptions } from './webgpu-backend.js';
export type { WebGpuDevice } from './device-type.js';

registerBackend('webgpu', () => createWebGpuBackend(), { priority: 3 });
