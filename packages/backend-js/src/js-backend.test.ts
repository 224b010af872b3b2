import { describe, expect, it } from 'vitest';
import { JsBackend, createJsBackend } from './js-backend.js';

describe('JsBackend storage', () => {
  it('writes, reads copies and accounts memory', async () => {
    const b = createJsBackend();
    expect(b.name).toBe('js');
    expect(b.info()).toEqual({ kind: 'js' });
    const values = new Float32Array([1, 2, 3]);
    const id = b.write(values, 'float32');
    expect(b.memory()).toMatchObject({ bytes: 12, buffers: 1 });
    const copy = await b.read(id);
    expect(Array.from(copy)).toEqual([1, 2, 3]);
    copy[0] = 99;
    const again = b.readSync(id);
    expect(again[0]).toBe(1);
    again[1] = 99;
    expect(b.readSync(id)[1]).toBe(2);
    const id2 = b.write(new Uint8Array([1, 0]), 'bool');
    expect(b.memory()).toMatchObject({ bytes: 14, buffers: 2 });
    b.dispose(id);
    expect(b.memory()).toMatchObject({ bytes: 2, buffers: 1 });
    b.dispose(id2);
    expect(b.memory()).toMatchObject({ bytes: 0, buffers: 0 });
  });

  it('keeps the array type of each dtype and converts a mismatched array', () => {
    const b = new JsBackend();
    expect(b.readSync(b.write(new Int32Array([1, -2]), 'int32'))).toBeInstanceOf(Int32Array);
    expect(b.readSync(b.write(new Uint8Array([1]), 'bool'))).toBeInstanceOf(Uint8Array);
    const converted = b.readSync(b.write(new Float32Array([1.7, -2.7, 0]), 'int32'));
    expect(converted).toBeInstanceOf(Int32Array);
    expect(Array.from(converted)).toEqual([1, -2, 0]);
  });

  it('rejects unknown or disposed ids', async () => {
    const b = new JsBackend();
    const id = b.write(new Float32Array(1), 'float32');
    b.dispose(id);
    expect(() => b.readSync(id)).toThrow(/unknown or disposed/);
    await expect(b.read(id)).rejects.toThrow(/unknown or disposed/);
    expect(() => b.readSync('nope')).toThrow();
  });

  it('kernel outputs are fresh buffers', () => {
    const b = new JsBackend();
    const x = { id: b.write(new Float32Array([1, 2]), 'float32'), shape: [2], dtype: 'float32' as const };
    const y = b.unary('neg', x, 'float32', {});
    expect(y).not.toBe(x.id);
    expect(Array.from(b.readSync(y))).toEqual([-1, -2]);
    expect(Array.from(b.readSync(x.id))).toEqual([1, 2]);
    expect(b.memory().buffers).toBe(2);
    b.shutdown();
    expect(b.memory().buffers).toBe(0);
  });
});
