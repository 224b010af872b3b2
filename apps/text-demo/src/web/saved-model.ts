/** Whether this browser holds a saved model under a name, asked without loading it. */
import { IDB_DATABASE, IDB_STORE } from '@scratchnet/layers';

/** True when `saveModel(model, 'indexeddb://<name>')` has stored a model here; false otherwise or without IndexedDB. */
export async function isSavedInBrowser(name: string): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  try {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(IDB_DATABASE);
      open.onupgradeneeded = () => {
        if (!open.result.objectStoreNames.contains(IDB_STORE)) open.result.createObjectStore(IDB_STORE);
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('IndexedDB would not open'));
    });
    try {
      if (!db.objectStoreNames.contains(IDB_STORE)) return false;
      return await new Promise<boolean>((resolve, reject) => {
        const count = db.transaction(IDB_STORE, 'readonly').objectStore(IDB_STORE).count(name);
        count.onsuccess = () => resolve(count.result > 0);
        count.onerror = () => reject(count.error ?? new Error('IndexedDB count failed'));
      });
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
