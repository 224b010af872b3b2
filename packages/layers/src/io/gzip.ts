import { FileFormatError } from './errors.js';

/** True when `bytes` start with the gzip magic number 1F 8B. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * How {@link gunzip} inflates: `'auto'` uses the web-standard `DecompressionStream` where the
 * platform has one (browsers, Node ≥ 18) and node:zlib otherwise; `'stream'` and `'zlib'` force one.
 */
export type GunzipMethod = 'auto' | 'stream' | 'zlib';

async function viaStream(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function viaZlib(bytes: Uint8Array): Promise<Uint8Array> {
  // Ignored by bundlers: browsers inflate with DecompressionStream and never reach this line.
  const zlib = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:zlib');
  const out = zlib.gunzipSync(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Inflates gzip data (every member, as `gunzip` does), in browsers and in Node.
 *
 * @param bytes - the gzip file's bytes.
 * @param method - which inflater to use, see {@link GunzipMethod}.
 * @param source - names the data in error messages (a file path, for instance).
 * @returns the inflated bytes.
 * @throws {@link FileFormatError} with code `corrupt-gzip` when the data is not valid gzip or is
 *   cut short, and `io` when the platform has no inflater.
 */
export async function gunzip(bytes: Uint8Array, method: GunzipMethod = 'auto', source = 'gzip data'): Promise<Uint8Array> {
  if (!isGzip(bytes)) throw new FileFormatError(source, 'corrupt-gzip', 'not gzip data (the first two bytes are not 1F 8B)');
  const hasStream = typeof DecompressionStream === 'function';
  const useStream = method === 'stream' || (method === 'auto' && hasStream);
  if (useStream && !hasStream) throw new FileFormatError(source, 'io', 'this platform has no DecompressionStream to inflate gzip data');
  try {
    return useStream ? await viaStream(bytes) : await viaZlib(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new FileFormatError(source, 'corrupt-gzip', `gzip data is corrupt or truncated (${why})`, { cause: err });
  }
}
