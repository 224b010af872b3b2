/** Shared by the tests: where things are, and building the app when no build is there yet. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's folder. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The built CLI. */
export const CLI = join(APP_DIR, 'dist/node/cli/main.js');
/** The built web app. */
export const WEB_DIR = join(APP_DIR, 'dist/web');

const require = createRequire(import.meta.url);

/**
 * Builds the CLI and the web app unless a build is there (`pnpm test` builds through turbo
 * first, so this only runs when the tests are started on their own).
 */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) {
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: APP_DIR, stdio: 'inherit' });
  }
  if (!existsSync(join(WEB_DIR, 'index.html'))) {
    const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: APP_DIR, stdio: 'inherit' });
  }
}
