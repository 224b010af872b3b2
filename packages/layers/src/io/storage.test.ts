import '@scratchnet/backend-js';
import { matmul, randomNormal, type Tensor, type Variable } from '@scratchnet/core';
import type * as FsPromises from 'node:fs/promises';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Module, registerModule } from '../module.js';
import { IDB_DATABASE, IDB_STORE } from './browser.js';
import { FileFormatError } from './errors.js';
import { serializeModel } from './model.js';
import { loadModel, loadWeights, saveModel } from './storage.js';

// Faults injected into node:fs/promises as the code under test sees it (it imports it dynamically).
const faults = vi.hoisted(() => ({ rename: null as Error | null, write: null as Error | null, open: null as Error | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open = async (...args: Parameters<typeof FsPromises.open>): Promise<FsPromises.FileHandle> => {
    if (faults.open) throw faults.open;
    const handle = await real.open(...args);
    const writeFault = faults.write;
    if (!writeFault) return handle;
    // A disk that fills up half way through the write.
    return {
      writeFile: async (data: Uint8Array) => {
        await handle.writeFile(data.subarray(0, Math.floor(data.length / 2)));
        throw writeFault;
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    } as unknown as FsPromises.FileHandle;
  };
  const rename = async (from: string, to: string): Promise<void> => {
    if (faults.rename) throw faults.rename;
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, open, rename }, open, rename };
});

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

class Scale extends Module {
  readonly weight: Variable;
  constructor(readonly cfg: { n: number; seed: number }) {
    super();
    this.weight = this.addParameter('weight', randomNormal([cfg.n, cfg.n], { seed: cfg.seed }));
  }
  forward(x: Tensor): Tensor {
    return matmul(x, this.weight);
  }
  protected getConfig(): Record<string, unknown> {
    return { ...this.cfg };
  }
}
registerModule('Scale', Scale, (c) => new Scale(c as { n: number; seed: number }));

async function weightOf(model: Module): Promise<number[]> {
  return [...(await model.stateDict().get('weight')!.data())];
}

async function fileError(fn: () => Promise<unknown>): Promise<FileFormatError> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof FileFormatError)) throw err;
    return err;
  }
  throw new Error('expected a FileFormatError, nothing was thrown');
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-save-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  faults.rename = faults.write = faults.open = null;
});

describe('saveModel / loadModel with Node paths', () => {
  it('saves, overwrites and loads a file, leaving no temporary files', async () => {
    const path = join(dir, 'model.safetensors');
    const a = new Scale({ n: 3, seed: 1 });
    const b = new Scale({ n: 3, seed: 2 });
    await saveModel(a, path);
    expect(await weightOf((await loadModel(path)).model)).toEqual(await weightOf(a));
    await saveModel(b, path);
    const { model } = await loadModel(path);
    expect(model).toBeInstanceOf(Scale);
    expect(await weightOf(model)).toEqual(await weightOf(b));
    expect(await readdir(dir)).toEqual(['model.safetensors']);
    for (const m of [a, b, model]) m.dispose();
  });

  it('loads from bytes, an ArrayBuffer, a Blob and a File, naming the File in errors', async () => {
    const m = new Scale({ n: 2, seed: 5 });
    const bytes = await serializeModel(m);
    const want = await weightOf(m);
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes.slice()]), new File([bytes.slice()], 'my-net.safetensors')]) {
      const { model } = await loadModel(source);
      expect(await weightOf(model)).toEqual(want);
      model.dispose();
    }
    const bad = await fileError(() => loadModel(new File([bytes.slice(0, 20)], 'my-net.safetensors')));
    expect(bad.message).toMatch(/^my-net\.safetensors: truncated inside the header/);
    expect((await fileError(() => loadModel(bytes.subarray(0, 3)))).message).toBe(
      'model bytes: truncated inside the 8-byte header-length prefix: the file has only 3 bytes',
    );
    m.dispose();
  });

  it('names the path when the file is missing, empty or corrupt', async () => {
    const missing = join(dir, 'nope.safetensors');
    const e1 = await fileError(() => loadModel(missing));
    expect(e1.code).toBe('not-found');
    expect(e1.message).toBe(`${missing}: no such file`);
    const empty = join(dir, 'empty.safetensors');
    await writeFile(empty, new Uint8Array(0));
    expect((await fileError(() => loadModel(empty))).message).toBe(`${empty}: the file is empty (0 bytes)`);
    await rm(empty);
  });

  it('loadWeights fills an existing model and rejects one of another architecture', async () => {
    const path = join(dir, 'w.safetensors');
    const src = new Scale({ n: 3, seed: 7 });
    await saveModel(src, path);
    const same = new Scale({ n: 3, seed: 0 });
    await loadWeights(same, path);
    expect(await weightOf(same)).toEqual(await weightOf(src));
    const other = new Scale({ n: 4, seed: 0 });
    const err = await fileError(() => loadWeights(other, path));
    expect(err.code).toBe('architecture-mismatch');
    expect(err.message).toBe(`${path}: the weights do not fit the architecture (Scale): loadStateDict: 'weight' has shape [3,3], the model expects [4,4]`);
    for (const m of [src, same, other]) m.dispose();
    await rm(path);
  });
});

describe('a failed save never destroys the previous file', () => {
  const path = (): string => join(dir, 'keep.safetensors');
  let original = new Uint8Array(0);
  const old = new Scale({ n: 3, seed: 11 });
  const next = new Scale({ n: 3, seed: 12 });

  beforeAll(async () => {
    await saveModel(old, path());
    original = new Uint8Array(await readFile(path()));
  });
  afterAll(() => {
    old.dispose();
    next.dispose();
  });

  async function expectIntact(): Promise<void> {
    expect(new Uint8Array(await readFile(path()))).toEqual(original);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const { model } = await loadModel(path());
    expect(await weightOf(model)).toEqual(await weightOf(old));
    model.dispose();
  }

  it('when the disk fills up during the write', async () => {
    faults.write = errno('ENOSPC', 'no space left on device');
    const err = await fileError(() => saveModel(next, path()));
    expect(err.code).toBe('io');
    expect(err.message).toBe(
      `${path()}: save failed, could not write the temporary file (ENOSPC: no space left on device); the previous file, if any, is unchanged`,
    );
    await expectIntact();
  });

  it('when the rename fails', async () => {
    faults.rename = errno('EIO', 'i/o error');
    const err = await fileError(() => saveModel(next, path()));
    expect(err.message).toBe(
      `${path()}: save failed, could not rename the temporary file over the destination (EIO: i/o error); the previous file, if any, is unchanged`,
    );
    await expectIntact();
  });

  it('when the directory is not writable', async () => {
    faults.open = errno('EACCES', 'permission denied');
    const err = await fileError(() => saveModel(next, path()));
    expect(err.message).toBe(
      `${path()}: save failed, could not create the temporary file (EACCES: permission denied); the previous file, if any, is unchanged`,
    );
    await expectIntact();
  });

  it('when the directory does not exist, or the destination is a directory', async () => {
    const nowhere = join(dir, 'no-such-dir', 'm.safetensors');
    expect((await fileError(() => saveModel(next, nowhere))).message).toMatch(/could not create the temporary file \(ENOENT/);
    const asDir = join(dir, 'a-directory');
    await mkdir(asDir);
    expect((await fileError(() => saveModel(next, asDir))).message).toMatch(/could not rename the temporary file over the destination \((EISDIR|EPERM|EEXIST|ENOTEMPTY)/);
    await rm(asDir, { recursive: true });
    await expectIntact();
  });

  it('when serialization fails (a disposed parameter)', async () => {
    const broken = new Scale({ n: 3, seed: 13 });
    broken.dispose();
    await expect(saveModel(broken, path())).rejects.toThrow(/disposed/i);
    await expectIntact();
  });
});

describe('browser destinations', () => {
  it('indexeddb:// and downloads:// explain what they need when the platform lacks it', async () => {
    const m = new Scale({ n: 2, seed: 1 });
    expect((await fileError(() => saveModel(m, 'indexeddb://net'))).message).toBe(
      'indexeddb://net: IndexedDB is not available here (indexeddb:// works in browsers)',
    );
    expect((await fileError(() => loadModel('indexeddb://net'))).code).toBe('io');
    expect((await fileError(() => saveModel(m, 'downloads://net'))).message).toBe(
      'downloads://net: downloads:// needs a browser page (document and URL.createObjectURL)',
    );
    expect((await fileError(() => loadModel('downloads://net'))).message).toMatch(/^downloads:\/\/net: downloads:\/\/ is for saving only/);
    await expect(saveModel(m, 'indexeddb://')).rejects.toThrow("'indexeddb://' has no name after indexeddb://");
    m.dispose();
  });

  it('indexeddb:// saves, overwrites and loads through IndexedDB; a failed transaction keeps the old record', async () => {
    const fake = new FakeIndexedDB();
    vi.stubGlobal('indexedDB', fake);
    try {
      const a = new Scale({ n: 2, seed: 1 });
      const b = new Scale({ n: 2, seed: 2 });
      await saveModel(a, 'indexeddb://net');
      expect(fake.stores.get(IDB_DATABASE)?.get(IDB_STORE)?.has('net')).toBe(true);
      await saveModel(b, 'indexeddb://net');
      const { model } = await loadModel('indexeddb://net');
      expect(await weightOf(model)).toEqual(await weightOf(b));
      fake.failWrites = true;
      const err = await fileError(() => saveModel(a, 'indexeddb://net'));
      expect(err.message).toBe('indexeddb://net: save failed (QuotaExceededError: quota exceeded); the previous model under this name, if any, is unchanged');
      fake.failWrites = false;
      const again = await loadModel('indexeddb://net');
      expect(await weightOf(again.model)).toEqual(await weightOf(b));
      const missing = await fileError(() => loadModel('indexeddb://other'));
      expect(missing.code).toBe('not-found');
      expect(missing.message).toBe("indexeddb://other: no model is stored under 'other' in IndexedDB");
      for (const x of [a, b, model, again.model]) x.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('downloads:// hands a Blob of the file to a clicked anchor named <name>.safetensors', async () => {
    vi.useFakeTimers();
    const anchor = { href: '', download: '', style: { display: '' }, click: vi.fn(), remove: vi.fn() };
    const appendChild = vi.fn();
    vi.stubGlobal('document', { createElement: vi.fn(() => anchor), body: { appendChild } });
    let blob: Blob | undefined;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:fake';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    try {
      const m = new Scale({ n: 2, seed: 3 });
      await saveModel(m, 'downloads://mnist-cnn');
      expect(anchor.download).toBe('mnist-cnn.safetensors');
      expect(anchor.href).toBe('blob:fake');
      expect(anchor.click).toHaveBeenCalledOnce();
      expect(appendChild).toHaveBeenCalledWith(anchor);
      expect(anchor.remove).toHaveBeenCalledOnce();
      vi.runAllTimers();
      expect(revoke).toHaveBeenCalledWith('blob:fake');
      const { model } = await loadModel(blob!);
      expect(await weightOf(model)).toEqual(await weightOf(m));
      m.dispose();
      model.dispose();
    } finally {
      create.mockRestore();
      revoke.mockRestore();
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });
});

/** Just enough of IndexedDB (open with upgrade, one store, put/get in transactions) for the tests. */
class FakeIndexedDB {
  readonly stores = new Map<string, Map<string, Map<unknown, unknown>>>();
  failWrites = false;

  open(name: string): unknown {
    const req: Record<string, unknown> & { onupgradeneeded?: () => void; onsuccess?: () => void } = { result: undefined, error: null };
    setTimeout(() => {
      let db = this.stores.get(name);
      const fresh = !db;
      if (!db) this.stores.set(name, (db = new Map<string, Map<unknown, unknown>>()));
      req.result = this.connection(db);
      if (fresh) req.onupgradeneeded?.();
      req.onsuccess?.();
    });
    return req;
  }

  private connection(db: Map<string, Map<unknown, unknown>>): unknown {
    return {
      objectStoreNames: { contains: (s: string) => db.has(s) },
      createObjectStore: (s: string) => db.set(s, new Map()),
      close: () => undefined,
      transaction: (s: string) => {
        const store = db.get(s)!;
        const staged = new Map<unknown, unknown>();
        const tx: Record<string, unknown> & { oncomplete?: () => void; onabort?: () => void } = { error: null };
        tx.objectStore = () => ({
          put: (value: unknown, key: unknown) => staged.set(key, structuredClone(value)),
          get: (key: unknown) => {
            const req: Record<string, unknown> & { onsuccess?: () => void } = { result: undefined, error: null };
            setTimeout(() => {
              req.result = structuredClone(store.get(key));
              req.onsuccess?.();
            });
            return req;
          },
        });
        setTimeout(() => {
          if (this.failWrites && staged.size) {
            tx.error = Object.assign(new Error('quota exceeded'), { name: 'QuotaExceededError' });
            tx.onabort?.();
            return;
          }
          for (const [k, v] of staged) store.set(k, v);
          tx.oncomplete?.();
        });
        return tx;
      },
    };
  }
}
