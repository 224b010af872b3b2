/**
 * Saving and loading model files to where they live: a path in Node, IndexedDB or a download in
 * browsers, or bytes/Blob/File handed in directly.
 */
import { ArgumentError } from '@scratchnet/core';
import type { AnyModule } from '../module.js';
import { downloadBytes, loadFromIndexedDB, saveToIndexedDB } from './browser.js';
import { FileFormatError } from './errors.js';
import {
  deserializeModel,
  deserializeWeightsInto,
  serializeModel,
  type LoadedModel,
  type SerializeModelOptions,
} from './model.js';
import { readLocalFile, writeLocalFileAtomic } from './node-fs.js';

const IDB_SCHEME = 'indexeddb://';
const DOWNLOADS_SCHEME = 'downloads://';

/**
 * Where {@link loadModel} reads from: a file path (Node), `'indexeddb://name'`, a `File` or
 * `Blob` (e.g. from `<input type="file">`), or the file's bytes.
 */
export type ModelSource = string | Blob | Uint8Array | ArrayBuffer;

function schemeName(destination: string, scheme: string): string {
  const name = destination.slice(scheme.length);
  if (name === '') throw new ArgumentError(`'${destination}' has no name after ${scheme}`);
  return name;
}

/**
 * Saves a model (and optionally its optimizer state) as one safetensors file.
 *
 * @param model - the module to save.
 * @param destination - a file path in Node (written to a temporary file in the same directory,
 *   flushed, then renamed over the destination, so a failed save never destroys the previous
 *   file); `'indexeddb://name'` (one IndexedDB transaction) or `'downloads://name'` in browsers.
 * @param options - `optimizer`: state to save with the weights.
 * @throws {@link FileFormatError} `io` when writing fails; whatever {@link serializeModel} throws.
 */
export async function saveModel(model: AnyModule, destination: string, options: SerializeModelOptions = {}): Promise<void> {
  if (typeof destination !== 'string' || destination === '') throw new ArgumentError('saveModel: destination must be a non-empty string');
  const bytes = await serializeModel(model, options);
  if (destination.startsWith(IDB_SCHEME)) return saveToIndexedDB(schemeName(destination, IDB_SCHEME), bytes);
  if (destination.startsWith(DOWNLOADS_SCHEME)) return downloadBytes(schemeName(destination, DOWNLOADS_SCHEME), bytes);
  return writeLocalFileAtomic(destination, bytes);
}

/** Reads a model source's bytes and a name for error messages. */
async function readSource(source: ModelSource): Promise<{ bytes: Uint8Array; name: string }> {
  if (typeof source === 'string') {
    if (source.startsWith(IDB_SCHEME)) return { bytes: await loadFromIndexedDB(schemeName(source, IDB_SCHEME)), name: source };
    if (source.startsWith(DOWNLOADS_SCHEME)) {
      throw new FileFormatError(source, 'io', "downloads:// is for saving only; to load, pass the File the user picked (e.g. from <input type=\"file\">)");
    }
    return { bytes: await readLocalFile(source), name: source };
  }
  if (source instanceof Uint8Array) return { bytes: source, name: 'model bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: 'model bytes' };
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = typeof (source as { name?: unknown }).name === 'string' ? (source as File).name : 'model Blob';
    return { bytes: new Uint8Array(await source.arrayBuffer()), name };
  }
  throw new ArgumentError('loadModel: source must be a path, an indexeddb:// URL, a File/Blob, a Uint8Array or an ArrayBuffer');
}

/**
 * Loads a model saved by {@link saveModel}: rebuilds the architecture, loads the weights onto the
 * current backend, and returns the optimizer state if one was saved.
 *
 * @param source - see {@link ModelSource}.
 * @throws {@link FileFormatError} naming the source and what is wrong (see {@link deserializeModel}),
 *   `not-found` for a missing file or IndexedDB entry.
 */
export async function loadModel(source: ModelSource): Promise<LoadedModel> {
  const { bytes, name } = await readSource(source);
  return deserializeModel(bytes, { source: name });
}

/**
 * Loads the weights of a saved model into an existing model of the same architecture (useful
 * for a model built in code). The file's optimizer state, if any, is ignored.
 *
 * @param model - the module to fill.
 * @param source - see {@link ModelSource}.
 * @throws {@link FileFormatError} as {@link loadModel}; `architecture-mismatch` when the weights'
 *   names or shapes differ from the model's.
 */
export async function loadWeights(model: AnyModule, source: ModelSource): Promise<void> {
  const { bytes, name } = await readSource(source);
  await deserializeWeightsInto(model, bytes, { source: name });
}
