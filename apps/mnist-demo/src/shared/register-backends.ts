/**
 * The backends this app ships with: importing a backend package registers it with core (js is
 * the universal fallback, wasm is preferred where it loads, webgpu where there is an adapter).
 * Adding a backend to the demo is one import line here (and a dependency in package.json); the
 * CLI and the web app list and use whatever is registered.
 */
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import '@scratchnet/backend-webgpu';
