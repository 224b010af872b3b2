/**
 * Browser storage for model files: IndexedDB (`indexeddb://name`) and downloads
 * (`downloads://name`). Only standard web APIs; nothing here runs unless such a URL is used.
 */
import { FileFormatError } from './errors.js';

/** The IndexedDB database that holds saved models. */
export const IDB_DATABASE = 'scratchnet-models';
/** The object store, inside {@link IDB_DATABASE}, that holds one record per model name. */
export const IDB_STORE = 'models';

/** A record of the {@link IDB_STORE} object store. */
export interface StoredModelRecord {
  /** The model file's bytes. */
  bytes: ArrayBuffer;
  /** When it was saved, as an ISO 8601 string. */
  savedAt: string;
}

function requestResult<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function openDatabase(source: string): Promise<IDBDatabase> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) throw new FileFormatError(source, 'io', 'IndexedDB is not available here (indexeddb:// works in browsers)');
  const req = idb.open(IDB_DATABASE, 1);
  req.onupgradeneeded = () => {
    if (!req.result.objectStoreNames.contains(IDB_STORE)) req.result.createObjectStore(IDB_STORE);
  };
  try {
    return await requestResult(req);
  } catch (err) {
    throw new FileFormatError(source, 'io', `cannot open the IndexedDB database '${IDB_DATABASE}' (${String(err)})`, { cause: err });
  }
}

/**
 * Stores a model file under `name` in IndexedDB. The write is one transaction: if it fails, the
 * previous record under that name is kept.
 *
 * @throws {@link FileFormatError} `io` when IndexedDB is missing or the write fails.
 */
export async function saveToIndexedDB(name: string, bytes: Uint8Array): Promise<void> {
  const source = `indexeddb://${name}`;
  const db = await openDatabase(source);
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, 'readwrite');
      const record: StoredModelRecord = { bytes: bytes.slice().buffer, savedAt: new Date().toISOString() };
      tx.objectStore(IDB_STORE).put(record, name);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    });
  } catch (err) {
    throw new FileFormatError(source, 'io', `save failed (${String(err)}); the previous model under this name, if any, is unchanged`, { cause: err });
  } finally {
    db.close();
  }
}

/**
 * Reads the model file stored under `name` in IndexedDB.
 *
 * @throws {@link FileFormatError} `not-found` when nothing is stored under `name`, `io` otherwise.
 */
export async function loadFromIndexedDB(name: string): Promise<Uint8Array> {
  const source = `indexeddb://${name}`;
  const db = await openDatabase(source);
  let record: unknown;
  try {
    const tx = db.transaction(IDB_STORE, 'readonly');
    record = await requestResult<unknown>(tx.objectStore(IDB_STORE).get(name));
  } catch (err) {
    throw new FileFormatError(source, 'io', `cannot read from IndexedDB (${String(err)})`, { cause: err });
  } finally {
    db.close();
  }
  if (record === undefined) throw new FileFormatError(source, 'not-found', `no model is stored under '${name}' in IndexedDB`);
  const stored = typeof record === 'object' && record !== null ? (record as Record<string, unknown>).bytes : undefined;
  if (stored instanceof ArrayBuffer) return new Uint8Array(stored);
  if (ArrayBuffer.isView(stored)) return new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
  throw new FileFormatError(source, 'bad-header', 'the IndexedDB record holds no model bytes');
}

/**
 * Offers a model file as a download named `<name>.safetensors` (a Blob URL and a clicked anchor).
 *
 * @throws {@link FileFormatError} `io` when there is no `document` (not a browser page).
 */
export function downloadBytes(name: string, bytes: Uint8Array): void {
  const source = `downloads://${name}`;
  const doc = (globalThis as { document?: Document }).document;
  if (!doc || typeof URL.createObjectURL !== 'function') {
    throw new FileFormatError(source, 'io', 'downloads:// needs a browser page (document and URL.createObjectURL)');
  }
  const fileName = name.endsWith('.safetensors') ? name : `${name}.safetensors`;
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  doc.body.appendChild(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    // Revoke later: the browser starts the download asynchronously.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
