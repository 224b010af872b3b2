/**
 * The web app: two pages (index.html, the MNIST trainer; toy.html, the 2-D playground), built to
 * dist/web. The digits are packed from the `mnist` package at build time (and on the fly by the
 * dev server) and served with the app, so nothing is fetched from the internet at runtime. Both
 * the dev server and the preview server send COOP/COEP, which threads in the wasm backend need.
 */
import { defineConfig, type Plugin } from 'vite';
import { packMnistPackage } from './src/node/pack.ts';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Serves (dev) and emits (build) the packed digits under /data/. */
function mnistDigits(): Plugin {
  let packed: Promise<Map<string, Uint8Array>> | null = null;
  const files = (): Promise<Map<string, Uint8Array>> => (packed ??= packMnistPackage());
  return {
    name: 'scratchnet-mnist-digits',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.startsWith('/data/') ? req.url.slice('/data/'.length) : null;
        if (!name) return next();
        files().then((f) => {
          const bytes = f.get(name);
          if (!bytes) return next();
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(bytes);
        }, next);
      });
    },
    async generateBundle() {
      for (const [name, bytes] of await files()) this.emitFile({ type: 'asset', fileName: `data/${name}`, source: bytes });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [mnistDigits()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { main: 'index.html', toy: 'toy.html' } },
  },
});
