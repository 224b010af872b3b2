/** The backends this app ships with: importing a backend package registers it with core. */
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import '@scratchnet/backend-webgpu';
