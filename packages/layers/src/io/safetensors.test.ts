import { describe, expect, it } from 'vitest';
import { FileFormatError } from './errors.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

const enc = new TextEncoder();

/** Builds a safetensors file by hand from a header string and raw data bytes. */
function rawFile(header: string, data: number[] | Uint8Array = []): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function fileError(fn: () => unknown): FileFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FileFormatError);
    return err as FileFormatError;
  }
  throw new Error('expected a FileFormatError, nothing was thrown');
}

describe('encodeSafetensors', () => {
  it('writes exactly the public layout: u64 LE header length, JSON padded with spaces to 8, LE data', () => {
    const bytes = encodeSafetensors(new Map([['a', { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) }]]), { k: 'v' });
    const json = '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const padded = Math.ceil(json.length / 8) * 8;
    const expected = new Uint8Array(8 + padded + 8);
    const view = new DataView(expected.buffer);
    view.setBigUint64(0, BigInt(padded), true);
    expected.set(enc.encode(json.padEnd(padded, ' ')), 8);
    view.setFloat32(8 + padded, 1, true);
    view.setFloat32(8 + padded + 4, -2, true);
    expect([...bytes]).toEqual([...expected]);
    expect((8 + padded) % 8).toBe(0);
  });

  it('round-trips every dtype, scalars, empty tensors and metadata; aligns each tensor to its element size', () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['bool', { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) }],
      ['u8', { dtype: 'U8', shape: [1, 2], data: new Uint8Array([0, 255]) }],
      ['i8', { dtype: 'I8', shape: [2], data: new Int8Array([-128, 127]) }],
      ['f16', { dtype: 'F16', shape: [1], data: new Uint16Array([0x3c00]) }],
      ['i16', { dtype: 'I16', shape: [3], data: new Int16Array([-1, 2, -300]) }],
      ['u32', { dtype: 'U32', shape: [1], data: new Uint32Array([4000000000]) }],
      ['i32', { dtype: 'I32', shape: [2, 2], data: new Int32Array([1, -2, 3, -4]) }],
      ['f32', { dtype: 'F32', shape: [], data: new Float32Array([0.5]) }],
      ['empty', { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) }],
      ['i64', { dtype: 'I64', shape: [2], data: new BigInt64Array([-5n, 2n ** 62n]) }],
      ['f64', { dtype: 'F64', shape: [1], data: new Float64Array([Math.E]) }],
      ['raw-f32', { dtype: 'F32', shape: [1], data: new Uint8Array(new Float32Array([7]).buffer) }],
    ]);
    const file = decodeSafetensors(encodeSafetensors(tensors, { author: 'me', note: 'ünïcødé' }));
    expect(file.metadata).toEqual({ author: 'me', note: 'ünïcødé' });
    expect([...file.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      const got = file.tensors.get(name)!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      const want = name === 'raw-f32' ? new Float32Array([7]) : t.data;
      expect(got.data.constructor).toBe(want.constructor);
      expect([...(got.data as ArrayLike<number | bigint> & Iterable<number | bigint>)]).toEqual([...(want as unknown as Iterable<number | bigint>)]);
    }
    // Larger elements first, so every tensor starts at a multiple of its element size.
    const encoded = encodeSafetensors(tensors);
    const headerLength = Number(new DataView(encoded.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(encoded.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; data_offsets: [number, number] }>;
    const width: Record<string, number> = { BOOL: 1, U8: 1, I8: 1, F16: 2, I16: 2, U32: 4, I32: 4, F32: 4, I64: 8, F64: 8 };
    for (const e of Object.values(header)) expect(e.data_offsets[0] % width[e.dtype]!).toBe(0);
    expect(file.dataStart % 8).toBe(0);
  });

  it('reads a file written by another tool: keys out of data order, no metadata, no padding', () => {
    const data = new Uint8Array(12);
    const v = new DataView(data.buffer);
    v.setInt32(0, -7, true);
    v.setFloat32(4, 1.5, true);
    v.setFloat32(8, -0.25, true);
    const file = decodeSafetensors(rawFile('{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"n":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}', data));
    expect(file.metadata).toBeUndefined();
    expect([...file.tensors.get('w')!.data]).toEqual([1.5, -0.25]);
    expect([...file.tensors.get('n')!.data]).toEqual([-7]);
    expect([...file.tensors.keys()]).toEqual(['n', 'w']);
  });

  it('rejects bad input to the encoder', () => {
    expect(() => encodeSafetensors(new Map([['__metadata__', { dtype: 'U8', shape: [0], data: new Uint8Array(0) }]]))).toThrow(/reserved/);
    expect(() => encodeSafetensors(new Map([['x', { dtype: 'F32', shape: [3], data: new Float32Array(2) }]]))).toThrow(
      "encodeSafetensors: tensor 'x' with dtype F32 and shape [3] needs 12 bytes, its data has 8",
    );
    expect(() => encodeSafetensors(new Map([['x', { dtype: 'I32', shape: [2], data: new Float64Array(1) }]]))).toThrow(/its data is a Float64Array/);
    expect(() => encodeSafetensors(new Map([['x', { dtype: 'X9' as 'F32', shape: [1], data: new Float32Array(1) }]]))).toThrow(/unknown dtype "X9"/);
    expect(() => encodeSafetensors(new Map([['x', { dtype: 'F32', shape: [-1], data: new Float32Array(1) }]]))).toThrow(/invalid shape \[-1\]/);
    expect(() => encodeSafetensors(new Map(), { n: 3 as unknown as string })).toThrow("encodeSafetensors: metadata 'n' must be a string, got number");
  });
});

describe('decodeSafetensors validation', () => {
  const t = (o: string, dtype = 'F32', shape = '[2]'): string => `{"dtype":"${dtype}","shape":${shape},"data_offsets":${o}}`;
  const cases: { what: string; bytes: Uint8Array; code: string; message: string }[] = [
    { what: 'empty file', bytes: new Uint8Array(0), code: 'empty', message: 'x.st: the file is empty (0 bytes)' },
    { what: 'inside the prefix', bytes: new Uint8Array(5), code: 'truncated', message: 'x.st: truncated inside the 8-byte header-length prefix: the file has only 5 bytes' },
    {
      what: 'header length beyond the file',
      bytes: rawFile('{}').subarray(0, 9),
      code: 'truncated',
      message: 'x.st: truncated inside the header: the prefix announces a 2-byte header but only 1 bytes follow it',
    },
    {
      what: 'a huge header length (high word set)',
      bytes: (() => {
        const b = rawFile('{}');
        b[7] = 1;
        return b;
      })(),
      code: 'truncated',
      message: 'x.st: truncated inside the header: the prefix announces a 72057594037927938-byte header but only 2 bytes follow it',
    },
    {
      what: 'header not starting with {',
      bytes: rawFile('  {}'),
      code: 'bad-header',
      message: "x.st: not a safetensors file: a safetensors file starts with an 8-byte header length and then a JSON header beginning with '{'; byte 8 is 0x20",
    },
    {
      what: 'a text file',
      bytes: new TextEncoder().encode('this is a note, not a model\nsecond line'),
      code: 'bad-header',
      message: `x.st: not a safetensors file: a safetensors file starts with an 8-byte header length and then a JSON header beginning with '{'; it looks like text ("this is a note, not a model seco…")`,
    },
    { what: 'empty header', bytes: rawFile(''), code: 'bad-header', message: "x.st: the header does not start with '{' (first header byte: none, the header is empty); not a safetensors file?" },
    { what: 'invalid UTF-8', bytes: rawFile('{"\u0000"}').map((b, i) => (i === 10 ? 0xff : b)), code: 'bad-header', message: 'x.st: the header is not valid UTF-8' },
    { what: 'invalid JSON', bytes: rawFile('{"a":'), code: 'bad-header', message: '' },
    { what: 'metadata not strings', bytes: rawFile('{"__metadata__":{"n":1}}'), code: 'bad-header', message: "x.st: '__metadata__' must map strings to strings; 'n' is number" },
    { what: 'entry not an object', bytes: rawFile('{"a":[1]}'), code: 'bad-header', message: "x.st: tensor 'a' must be an object { dtype, shape, data_offsets }, got an array" },
    { what: 'unknown dtype', bytes: rawFile(`{"a":${t('[0,8]', 'F31')}}`, new Array<number>(8).fill(0)), code: 'unknown-type', message: '' },
    { what: 'bad shape', bytes: rawFile(`{"a":${t('[0,8]', 'F32', '[2.5]')}}`), code: 'bad-header', message: "x.st: tensor 'a' has invalid shape [2.5]; expected an array of non-negative integers" },
    { what: 'reversed offsets', bytes: rawFile(`{"a":${t('[8,0]')}}`), code: 'bad-header', message: "x.st: tensor 'a' has invalid data_offsets [8,0]; expected [begin, end] integers with 0 ≤ begin ≤ end" },
    {
      what: 'dtype/shape vs byte length',
      bytes: rawFile(`{"a":${t('[0,12]')}}`, new Array<number>(12).fill(0)),
      code: 'bad-layout',
      message: "x.st: tensor 'a' with dtype F32 and shape [2] needs 8 bytes, but its data_offsets [0,12] span 12",
    },
    {
      what: 'overlapping tensors',
      bytes: rawFile(`{"a":${t('[0,8]')},"b":${t('[4,12]')}}`, new Array<number>(12).fill(0)),
      code: 'bad-layout',
      message: "x.st: tensors 'a' [0,8] and 'b' [4,12] overlap in the data section",
    },
    {
      what: 'a gap',
      bytes: rawFile(`{"a":${t('[0,8]')},"b":${t('[12,20]')}}`, new Array<number>(20).fill(0)),
      code: 'bad-layout',
      message: "x.st: bytes 8–12 of the data section belong to no tensor (a gap before 'b')",
    },
    {
      what: 'not starting at 0',
      bytes: rawFile(`{"a":${t('[4,12]')}}`, new Array<number>(12).fill(0)),
      code: 'bad-layout',
      message: "x.st: bytes 0–4 of the data section belong to no tensor (a gap before 'a')",
    },
    {
      what: 'offsets past the end (truncated data)',
      bytes: rawFile(`{"a":${t('[0,8]')},"b":${t('[8,16]')}}`, new Array<number>(10).fill(0)),
      code: 'truncated',
      message: 'x.st: truncated inside the data: the tensors need 16 bytes of data but only 10 follow the header',
    },
    {
      what: 'trailing bytes',
      bytes: rawFile(`{"a":${t('[0,8]')}}`, new Array<number>(11).fill(0)),
      code: 'trailing-bytes',
      message: "x.st: 3 bytes after the last tensor's data belong to no tensor (the data section should be 8 bytes)",
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.what} (${c.code})`, () => {
      const err = fileError(() => decodeSafetensors(c.bytes, { source: 'x.st' }));
      expect(err.code).toBe(c.code);
      expect(err.source).toBe('x.st');
      if (c.message) expect(err.message).toBe(c.message);
      else expect(err.message).toMatch(/^x\.st: /);
    });
  }

  it('names invalid JSON and unknown dtypes precisely', () => {
    expect(fileError(() => decodeSafetensors(rawFile('{"a":'), { source: 'x.st' })).message).toMatch(/^x\.st: the header is not valid JSON \(.+\)$/);
    expect(fileError(() => decodeSafetensors(rawFile(`{"a":${t('[0,8]', 'F31')}}`, new Array<number>(8).fill(0)))).message).toBe(
      'safetensors data: tensor \'a\' has unknown dtype "F31" (known: BOOL, U8, I8, F8_E4M3, F8_E5M2, U16, I16, F16, BF16, U32, I32, F32, U64, I64, F64)',
    );
  });

  it('reports truncation at every byte of a real file with an error, never a crash or a wrong result', () => {
    const bytes = encodeSafetensors(
      new Map<string, SafetensorsTensor>([
        ['a', { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) }],
        ['b', { dtype: 'I32', shape: [2], data: new Int32Array([4, 5]) }],
      ]),
      { m: 'x' },
    );
    const dataStart = decodeSafetensors(bytes).dataStart;
    for (let n = 0; n < bytes.length; n++) {
      const err = fileError(() => decodeSafetensors(bytes.subarray(0, n)));
      const want = n === 0 ? 'empty' : 'truncated';
      expect(err.code, `cut at ${n}`).toBe(want);
      if (n > 0 && n < 8) expect(err.message).toMatch(/inside the 8-byte header-length prefix/);
      else if (n >= 8 && n < dataStart) expect(err.message).toMatch(/inside the header/);
      else if (n >= dataStart) expect(err.message).toMatch(/inside the data/);
    }
  });
});
