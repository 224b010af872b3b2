/**
 * The Node file-system side of loading and saving. node:fs and node:path are loaded with
 * dynamic imports, only when a path is actually used, so the package still bundles for browsers.
 */
import type * as FsPromisesModule from 'node:fs/promises';
import type * as PathModuleNs from 'node:path';
import { FileFormatError } from './errors.js';

type FsPromises = typeof FsPromisesModule;
type PathModule = typeof PathModuleNs;

/** True when running under Node (or a runtime that offers its file system, such as Bun/Deno). */
export function hasNodeFs(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

async function nodeModules(source: string): Promise<{ fs: FsPromises; path: PathModule }> {
  if (!hasNodeFs()) {
    throw new FileFormatError(
      source,
      'io',
      "file paths work in Node only; in a browser use 'indexeddb://name', 'downloads://name' (save) or pass a File/Blob/Uint8Array (load)",
    );
  }
  const [fs, path] = await Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises'),
    import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path'),
  ]);
  return { fs, path };
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads a whole file.
 *
 * @throws {@link FileFormatError} `not-found` when it does not exist, `io` for other failures.
 */
export async function readLocalFile(file: string): Promise<Uint8Array> {
  const { fs } = await nodeModules(file);
  try {
    const buf = await fs.readFile(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new FileFormatError(file, 'not-found', 'no such file', { cause: err });
    if (errnoCode(err) === 'EISDIR') throw new FileFormatError(file, 'io', 'is a directory, not a file', { cause: err });
    throw new FileFormatError(file, 'io', `cannot read the file (${describe(err)})`, { cause: err });
  }
}

let tempCounter = 0;

/**
 * Writes `bytes` to `file` atomically: into a temporary file in the same directory (flushed to
 * disk), which is then renamed over `file`. A failure at any step removes the temporary file and
 * leaves any previous `file` untouched.
 *
 * @throws {@link FileFormatError} `io` naming the file and the step that failed.
 */
export async function writeLocalFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const { fs, path } = await nodeModules(file);
  const dir = path.dirname(file);
  const rand = Math.floor(Math.random() * 0x100000000).toString(16);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${tempCounter++}.${rand}.tmp`);
  let step = 'create the temporary file';
  let created = false;
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    created = true;
    try {
      step = 'write the temporary file';
      await handle.writeFile(bytes);
      step = 'flush the temporary file to disk';
      await handle.sync();
    } finally {
      await handle.close();
    }
    step = 'rename the temporary file over the destination';
    await fs.rename(temp, file);
    created = false;
  } catch (err) {
    if (created) await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new FileFormatError(file, 'io', `save failed, could not ${step} (${describe(err)}); the previous file, if any, is unchanged`, {
      cause: err,
    });
  }
  // Make the rename itself durable where the platform allows syncing a directory; best effort.
  try {
    const dirHandle = await fs.open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or sync directories; the data itself is already synced.
  }
}
