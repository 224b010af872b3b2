/**
 * Whether a model is saved under a name in this browser, asked without loading it: a key lookup
 * in the IndexedDB store that `saveModel(model, 'indexeddb://name')` writes (database
 * 'scratchnet-models', store 'models', as @scratchnet/layers documents them).
 */
const DATABASE = 'scratchnet-models';
const STORE = 'models';

/** True when IndexedDB holds a model under `name`; false when not, or when IndexedDB is unavailable. */
export async function hasSavedModel(name: string): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  try {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DATABASE, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('cannot open IndexedDB'));
    });
    try {
      const count = await new Promise<number>((resolve, reject) => {
        const req = db.transaction(STORE, 'readonly').objectStore(STORE).count(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB count failed'));
      });
      return count > 0;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
