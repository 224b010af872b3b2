import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from './crc32.js';

describe('crc32', () => {
  it('matches the standard check values, in one piece or several', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32Hex(crc32(check))).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe(0);
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) & 0xff);
    const whole = crc32(bytes);
    expect(crc32Hex(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')))).toBe('414fa339');
    expect(crc32(bytes.subarray(1234), crc32(bytes.subarray(0, 1234)))).toBe(whole);
    expect(crc32Hex(0x1a)).toBe('0000001a');
  });
});
