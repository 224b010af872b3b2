/**
 * The safetensors format (https://github.com/huggingface/safetensors), written from its
 * specification: an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON (padded
 * with spaces so the data starts at a multiple of 8), then the tensors' bytes, little-endian,
 * row-major, each tensor at `data_offsets` [begin, end) relative to the start of the data
 * section. The header maps tensor names to `{ dtype, shape, data_offsets }`, plus an optional
 * `__metadata__` map of strings to strings. The data section is covered exactly: no gaps, no
 * overlaps, no trailing bytes.
 */
import { ArgumentError, ShapeError } from '@scratchnet/core';
import { FileFormatError } from './errors.js';

/** The element types of the safetensors format. F16/BF16/F8 values are kept as raw bits. */
export type SafetensorsDType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'F8_E4M3'
  | 'F8_E5M2'
  | 'U16'
  | 'I16'
  | 'F16'
  | 'BF16'
  | 'U32'
  | 'I32'
  | 'F32'
  | 'U64'
  | 'I64'
  | 'F64';

/** The typed arrays tensor values travel in (F16/BF16 as Uint16Array bits, F8 as Uint8Array bits). */
export type SafetensorsArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array;

/**
 * One tensor of a safetensors file. When encoding, `data` may be the typed array for `dtype` or a
 * Uint8Array of its raw little-endian bytes; decoding always gives the typed array for `dtype`.
 */
export interface SafetensorsTensor {
  /** Element type. */
  dtype: SafetensorsDType;
  /** Dimension sizes (`[]` for a scalar). */
  shape: number[];
  /** The values, row-major. */
  data: SafetensorsArray;
}

/** A decoded safetensors file. */
export interface SafetensorsFile {
  /** The tensors by name, in the order of their bytes in the file. */
  tensors: Map<string, SafetensorsTensor>;
  /** The `__metadata__` map, or undefined when the header has none. */
  metadata: Record<string, string> | undefined;
  /** Where the data section starts in the file (8 + header length). */
  dataStart: number;
}

interface DTypeInfo {
  bytes: number;
  make: (buffer: ArrayBuffer) => SafetensorsArray;
}

const DTYPES: Record<SafetensorsDType, DTypeInfo> = {
  BOOL: { bytes: 1, make: (b) => new Uint8Array(b) },
  U8: { bytes: 1, make: (b) => new Uint8Array(b) },
  I8: { bytes: 1, make: (b) => new Int8Array(b) },
  F8_E4M3: { bytes: 1, make: (b) => new Uint8Array(b) },
  F8_E5M2: { bytes: 1, make: (b) => new Uint8Array(b) },
  U16: { bytes: 2, make: (b) => new Uint16Array(b) },
  I16: { bytes: 2, make: (b) => new Int16Array(b) },
  F16: { bytes: 2, make: (b) => new Uint16Array(b) },
  BF16: { bytes: 2, make: (b) => new Uint16Array(b) },
  U32: { bytes: 4, make: (b) => new Uint32Array(b) },
  I32: { bytes: 4, make: (b) => new Int32Array(b) },
  F32: { bytes: 4, make: (b) => new Float32Array(b) },
  U64: { bytes: 8, make: (b) => new BigUint64Array(b) },
  I64: { bytes: 8, make: (b) => new BigInt64Array(b) },
  F64: { bytes: 8, make: (b) => new Float64Array(b) },
};

/** Largest header accepted when decoding (the reference implementation's limit, 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** True when `value` names a safetensors dtype. */
export function isSafetensorsDType(value: unknown): value is SafetensorsDType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, value);
}

/** Bytes per element of a safetensors dtype. */
export function safetensorsDTypeBytes(dtype: SafetensorsDType): number {
  return DTYPES[dtype].bytes;
}

/** Reverses the byte order of every `width`-byte element in place (for big-endian hosts). */
function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A header entry and the tensor bytes, laid out but not yet assembled into a file. */
export interface SafetensorsPlan {
  /** Header entries by name, in data order. */
  entries: [string, { dtype: SafetensorsDType; shape: number[]; data_offsets: [number, number] }][];
  /** The data section: every tensor's little-endian bytes, concatenated in `entries` order. */
  data: Uint8Array;
}

/**
 * Lays tensors out for a safetensors file: validates them, orders them by element size (largest
 * first, so every tensor is aligned to its element size) then by name, and concatenates their
 * little-endian bytes. {@link assembleSafetensors} turns the plan into a file.
 *
 * @throws ArgumentError for a reserved or empty name, an unknown dtype or non-string metadata;
 *   ShapeError when a shape is invalid or the data's byte length does not match dtype and shape.
 */
export function planSafetensors(tensors: ReadonlyMap<string, SafetensorsTensor>): SafetensorsPlan {
  const items: { name: string; t: SafetensorsTensor; bytes: number }[] = [];
  for (const [name, t] of tensors) {
    if (typeof name !== 'string' || name.length === 0) throw new ArgumentError('encodeSafetensors: tensor names must be non-empty strings');
    if (name === METADATA_KEY) throw new ArgumentError(`encodeSafetensors: '${METADATA_KEY}' is reserved and cannot name a tensor`);
    if (!isSafetensorsDType(t.dtype)) {
      throw new ArgumentError(`encodeSafetensors: tensor '${name}' has unknown dtype ${JSON.stringify(t.dtype)} (known: ${Object.keys(DTYPES).join(', ')})`);
    }
    if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new ShapeError(`encodeSafetensors: tensor '${name}' has invalid shape ${JSON.stringify(t.shape)}; expected non-negative integers`);
    }
    if (!ArrayBuffer.isView(t.data)) throw new ArgumentError(`encodeSafetensors: tensor '${name}' data must be a typed array`);
    const width = DTYPES[t.dtype].bytes;
    const need = elementCount(t.shape) * width;
    if (t.data.byteLength !== need) {
      throw new ShapeError(
        `encodeSafetensors: tensor '${name}' with dtype ${t.dtype} and shape ${fmt(t.shape)} needs ${need} bytes, its data has ${t.data.byteLength}`,
      );
    }
    if (!(t.data instanceof Uint8Array) && t.data.BYTES_PER_ELEMENT !== width) {
      throw new ArgumentError(
        `encodeSafetensors: tensor '${name}' has dtype ${t.dtype} (${width}-byte elements) but its data is a ${t.data.constructor.name}; pass the matching typed array or raw bytes in a Uint8Array`,
      );
    }
    items.push({ name, t, bytes: need });
  }
  items.sort((a, b) => DTYPES[b.t.dtype].bytes - DTYPES[a.t.dtype].bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const total = items.reduce((n, it) => n + it.bytes, 0);
  const data = new Uint8Array(total);
  const entries: SafetensorsPlan['entries'] = [];
  let offset = 0;
  for (const { name, t, bytes } of items) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const dst = data.subarray(offset, offset + bytes);
    dst.set(src);
    // Typed arrays other than raw bytes are in the host's order; the file is little-endian.
    if (!HOST_IS_LITTLE_ENDIAN && !(t.data instanceof Uint8Array)) swapBytes(dst, DTYPES[t.dtype].bytes);
    entries.push([name, { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] }]);
    offset += bytes;
  }
  return { entries, data };
}

/**
 * Assembles a {@link SafetensorsPlan} and optional metadata into a safetensors file.
 *
 * @throws ArgumentError when a metadata value is not a string.
 */
export function assembleSafetensors(plan: SafetensorsPlan, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ArgumentError(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
    }
    header[METADATA_KEY] = { ...metadata };
  }
  for (const [name, entry] of plan.entries) header[name] = entry;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + plan.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  out.set(plan.data, 8 + padded);
  return out;
}

/**
 * Encodes tensors into the safetensors format.
 *
 * @param tensors - tensors by name; `data` is the typed array of `dtype` or its raw bytes.
 * @param metadata - the optional `__metadata__` string map.
 * @returns the file's bytes.
 * @throws ArgumentError / ShapeError for invalid names, dtypes, shapes or byte lengths.
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, SafetensorsTensor>, metadata?: Record<string, string>): Uint8Array {
  return assembleSafetensors(planSafetensors(tensors), metadata);
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeOptions {
  /** Names the bytes in error messages (e.g. a path); `'safetensors data'` by default. */
  source?: string;
}

interface RawEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Whether the bytes are all printable ASCII, tabs and line ends. */
function looksLikeText(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
}

/** What a file that is not safetensors looks like, for the error message. */
function notSafetensorsDetail(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 32);
  const text = looksLikeText(head);
  const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;
  const what = text ? `it looks like text ("${new TextDecoder().decode(head).replace(/\s+/g, ' ').trim()}${bytes.length > 32 ? '…' : ''}")` : `byte 8 is ${hex(bytes[8]!)}`;
  return `a safetensors file starts with an 8-byte header length and then a JSON header beginning with '{'; ${what}`;
}

/**
 * Decodes and strictly validates a safetensors file.
 *
 * @param bytes - the whole file.
 * @param options - `source` names the file in error messages.
 * @returns the tensors (fresh typed arrays, independent of `bytes`), the metadata and where the
 *   data section starts.
 * @throws {@link FileFormatError} with code `empty`; `truncated` (inside the length prefix, the
 *   header or the data); `bad-header` (header length too large, not UTF-8, not JSON, not an
 *   object, bad metadata, bad shape or offsets); `unknown-type` (unknown dtype); `bad-layout`
 *   (dtype × shape ≠ byte range, overlapping ranges, gaps); `trailing-bytes`.
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): SafetensorsFile {
  const source = options.source ?? 'safetensors data';
  const fail = (code: ConstructorParameters<typeof FileFormatError>[1], detail: string, cause?: unknown): never => {
    throw new FileFormatError(source, code, detail, cause === undefined ? undefined : { cause });
  };
  if (bytes.length === 0) fail('empty', 'the file is empty (0 bytes)');
  // A real file's length prefix has zero bytes from the third on (headers under 64 KiB) or the
  // fourth (under 16 MiB), so three or more bytes of plain text are not one.
  if (bytes.length >= 3 && looksLikeText(bytes.subarray(0, 32))) fail('bad-header', `not a safetensors file: ${notSafetensorsDetail(bytes)}`);
  if (bytes.length < 8) fail('truncated', `truncated inside the 8-byte header-length prefix: the file has only ${bytes.length} bytes`);
  // Checked before the announced length: a text or image file read as safetensors announces an
  // absurd header length, which would hide the real problem.
  if (bytes.length > 8 && bytes[8] !== 0x7b) fail('bad-header', `not a safetensors file: ${notSafetensorsDetail(bytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const announced = view.getBigUint64(0, true);
  const available = bytes.length - 8;
  if (announced > BigInt(available)) {
    fail('truncated', `truncated inside the header: the prefix announces a ${announced}-byte header but only ${available} bytes follow it`);
  }
  const headerLength = Number(announced);
  if (headerLength > MAX_HEADER_BYTES) fail('bad-header', `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  if (headerBytes[0] !== 0x7b) {
    fail('bad-header', `the header does not start with '{' (first header byte: ${headerBytes.length ? `0x${headerBytes[0]!.toString(16)}` : 'none, the header is empty'}); not a safetensors file?`);
  }
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch (err) {
    fail('bad-header', 'the header is not valid UTF-8', err);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    fail('bad-header', `the header is not valid JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail('bad-header', `the header must be a JSON object, got ${typeName(header)}`);
  }
  let metadata: Record<string, string> | undefined;
  const raw: RawEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        fail('bad-header', `'${METADATA_KEY}' must be an object mapping strings to strings, got ${typeName(value)}`);
      }
      metadata = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail('bad-header', `'${METADATA_KEY}' must map strings to strings; '${k}' is ${typeName(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('bad-header', `tensor '${name}' must be an object { dtype, shape, data_offsets }, got ${typeName(value)}`);
    }
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    if (!isSafetensorsDType(dtype)) {
      fail('unknown-type', `tensor '${name}' has unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPES).join(', ')})`);
    }
    if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
      fail('bad-header', `tensor '${name}' has invalid shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      offsets.some((o) => typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) ||
      (offsets[0] as number) > (offsets[1] as number)
    ) {
      fail('bad-header', `tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}; expected [begin, end] integers with 0 ≤ begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    const dt = dtype as SafetensorsDType;
    const sh = shape as number[];
    const need = elementCount(sh) * DTYPES[dt].bytes;
    if (end - begin !== need) {
      fail('bad-layout', `tensor '${name}' with dtype ${dt} and shape ${fmt(sh)} needs ${need} bytes, but its data_offsets [${begin},${end}] span ${end - begin}`);
    }
    raw.push({ name, dtype: dt, shape: sh, begin, end });
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const ordered = [...raw].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: RawEntry | undefined;
  for (const e of ordered) {
    if (e.begin < covered) {
      fail('bad-layout', `tensors '${previous!.name}' [${previous!.begin},${previous!.end}] and '${e.name}' [${e.begin},${e.end}] overlap in the data section`);
    }
    if (e.begin > covered) {
      fail('bad-layout', `bytes ${covered}–${e.begin} of the data section belong to no tensor (a gap before '${e.name}')`);
    }
    covered = e.end;
    previous = e;
  }
  if (covered > dataLength) {
    fail('truncated', `truncated inside the data: the tensors need ${covered} bytes of data but only ${dataLength} follow the header`);
  }
  if (covered < dataLength) {
    fail('trailing-bytes', `${dataLength - covered} bytes after the last tensor's data belong to no tensor (the data section should be ${covered} bytes)`);
  }
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of ordered) {
    const copy = bytes.slice(dataStart + e.begin, dataStart + e.end);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytes(copy, DTYPES[e.dtype].bytes);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: DTYPES[e.dtype].make(copy.buffer) });
  }
  return { tensors, metadata, dataStart };
}
