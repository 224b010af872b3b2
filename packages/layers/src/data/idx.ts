/**
 * Reader for the IDX format that MNIST (and Fashion-MNIST, EMNIST...) ship in: a 4-byte magic
 * number `00 00 <type> <ndims>`, `ndims` big-endian uint32 dimension sizes, then the values in
 * row-major order, big-endian. Files are often gzipped; {@link readIdx} inflates them.
 */
import { FileFormatError } from '../io/errors.js';
import { gunzip, isGzip, type GunzipMethod } from '../io/gzip.js';
import { readLocalFile } from '../io/node-fs.js';

/** The element types IDX files can hold, named after the typed arrays that store them. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX file: its dimensions, element type and values (row-major, native byte order). */
export interface IdxData {
  /** Dimension sizes, outermost first (MNIST images: `[count, 28, 28]`). */
  shape: number[];
  /** The element type that the file's type code names. */
  dtype: IdxDType;
  /** The values, `shape`'s product of them, in a typed array matching `dtype`. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

interface TypeInfo {
  dtype: IdxDType;
  bytes: number;
  label: string;
}

const TYPE_CODES = new Map<number, TypeInfo>([
  [0x08, { dtype: 'uint8', bytes: 1, label: 'unsigned byte' }],
  [0x09, { dtype: 'int8', bytes: 1, label: 'signed byte' }],
  [0x0b, { dtype: 'int16', bytes: 2, label: 'short' }],
  [0x0c, { dtype: 'int32', bytes: 4, label: 'int' }],
  [0x0d, { dtype: 'float32', bytes: 4, label: 'float' }],
  [0x0e, { dtype: 'float64', bytes: 8, label: 'double' }],
]);

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0').toUpperCase()}`;

/** Options of {@link parseIdx}, {@link readIdx} and {@link readIdxFile}. */
export interface IdxOptions {
  /** Names the data in error messages; {@link readIdxFile} sets it to the path. */
  source?: string;
  /** How gzipped input is inflated (see {@link GunzipMethod}); `'auto'` by default. */
  gunzip?: GunzipMethod;
}

/**
 * Parses an uncompressed IDX file. Synchronous, so it cannot inflate gzip: use {@link readIdx}
 * for bytes that may be gzipped.
 *
 * @param bytes - the whole file.
 * @param options - `source` names the file in errors.
 * @returns the shape, element type and values.
 * @throws {@link FileFormatError} — `empty`, `truncated` (inside the magic number, the dimension
 *   sizes or the data: says how many bytes were expected and how many there are), `bad-magic`,
 *   `unknown-type`, `trailing-bytes`, or `corrupt-gzip` for gzipped input.
 */
export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}): IdxData {
  const source = options.source ?? 'IDX data';
  if (bytes.length === 0) throw new FileFormatError(source, 'empty', 'the file is empty (0 bytes); an IDX file starts with a 4-byte magic number');
  if (isGzip(bytes)) {
    throw new FileFormatError(source, 'corrupt-gzip', 'the data is gzip-compressed; parseIdx reads raw IDX only, use `await readIdx(bytes)` which inflates it');
  }
  if (bytes.length < 4) {
    throw new FileFormatError(source, 'truncated', `truncated inside the magic number: expected 4 bytes, got ${bytes.length}`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FileFormatError(
      source,
      'bad-magic',
      `bad magic number ${[...bytes.subarray(0, 4)].map(hex).join(' ')}: an IDX file starts with two zero bytes, a type code and the number of dimensions`,
    );
  }
  const code = bytes[2]!;
  const info = TYPE_CODES.get(code);
  if (!info) {
    const known = [...TYPE_CODES].map(([c, t]) => `${hex(c)} ${t.label}`).join(', ');
    throw new FileFormatError(source, 'unknown-type', `unknown IDX type code ${hex(code)} (known: ${known})`);
  }
  const ndims = bytes[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new FileFormatError(
      source,
      'truncated',
      `truncated inside the dimension sizes: ${ndims} dimension${ndims === 1 ? '' : 's'} need${ndims === 1 ? 's' : ''} a ${headerBytes}-byte header, got ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = count * info.bytes;
  const got = bytes.length - headerBytes;
  const what = `shape [${shape.join(',')}] of ${info.label} (${info.bytes} byte${info.bytes > 1 ? 's' : ''} each)`;
  if (got < expected) {
    throw new FileFormatError(source, 'truncated', `truncated data: expected ${expected} bytes for ${what}, got ${got}`);
  }
  if (got > expected) {
    throw new FileFormatError(source, 'trailing-bytes', `${got - expected} unexpected bytes after the ${expected} data bytes for ${what}`);
  }
  return { shape, dtype: info.dtype, data: decodeValues(view, headerBytes, count, info.dtype) };
}

function decodeValues(view: DataView, start: number, count: number, dtype: IdxDType): IdxData['data'] {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, false);
      return out;
    }
  }
}

/**
 * Reads an IDX file's bytes, gzipped or not (gzip is recognised by its magic number 1F 8B and
 * inflated with `DecompressionStream` where available, node:zlib otherwise). Works in browsers.
 *
 * @param bytes - the file's bytes, e.g. from `fetch(url).then((r) => r.arrayBuffer())`.
 * @param options - `source` names the file in errors; `gunzip` picks the inflater.
 * @returns the shape, element type and values.
 * @throws {@link FileFormatError} as {@link parseIdx} does, and `corrupt-gzip` for bad gzip data.
 */
export async function readIdx(bytes: Uint8Array | ArrayBuffer, options: IdxOptions = {}): Promise<IdxData> {
  let raw = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const source = options.source ?? 'IDX data';
  if (isGzip(raw)) raw = await gunzip(raw, options.gunzip ?? 'auto', source);
  return parseIdx(raw, { source });
}

/**
 * Reads an IDX file (gzipped or not) from disk. Node only.
 *
 * @param path - the file's path, e.g. `'data/t10k-images-idx3-ubyte.gz'`.
 * @param options - `gunzip` picks the inflater.
 * @returns the shape, element type and values.
 * @throws {@link FileFormatError} — `not-found` when there is no such file, `io` when it cannot be
 *   read, and otherwise as {@link readIdx}; messages start with the path.
 */
export async function readIdxFile(path: string, options: Omit<IdxOptions, 'source'> = {}): Promise<IdxData> {
  const bytes = await readLocalFile(path);
  return readIdx(bytes, { ...options, source: path });
}
