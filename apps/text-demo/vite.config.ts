/**
 * The web page (index.html), built to dist/web. The ~8,400 first names are read from their npm
 * packages when the page is built (or served by the dev server) and bundled into it as the module
 * `virtual:text-demo/names`, so the page fetches nothing from the internet. Both servers send
 * COOP/COEP, which the wasm backend's threads need.
 */
import { defineConfig, type Plugin } from 'vite';
import { loadNames } from './src/cli/corpus.ts';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const NAMES_MODULE = 'virtual:text-demo/names';

/** Resolves `virtual:text-demo/names` to the names list (an array of lower-case strings, sorted). */
function bundledNames(): Plugin {
  const resolved = `\0${NAMES_MODULE}`;
  return {
    name: 'text-demo-names',
    resolveId: (id) => (id === NAMES_MODULE ? resolved : null),
    load: (id) => (id === resolved ? `export default ${JSON.stringify(loadNames())};` : null),
  };
}

export default defineConfig({
  base: './',
  plugins: [bundledNames()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { outDir: 'dist/web', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
