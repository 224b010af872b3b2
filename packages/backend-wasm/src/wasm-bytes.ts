/**
 * Encoders for the WebAssembly binary format, shared by the modules this backend emits at run time
 * (fused-jit.ts's compiled programs, fused-segments.ts's drivers).
 */

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A name: its length, then its characters (ASCII). */
export const wasmName = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** A section: its id, its byte length, then its content. */
export const wasmSection = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
