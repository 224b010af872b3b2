/**
 * The argsort kernel: a stable sort order per row of a [outer, n] float32 / int32 matrix. Each value
 * becomes an unsigned 32-bit key whose unsigned order is the contract's order (NaN largest, −0 = +0,
 * inverted for descending); short rows are insertion-sorted, longer ones radix-sorted on the key bytes
 * (LSD, stable), so equal keys keep their lower index first.
 */

/** Rows up to this long are insertion-sorted (a radix pass costs 256 counters per byte). */
const INSERTION_MAX = 32;

/** Writes the sort keys of `x` (float32 or int32 data) into `keys`. */
function sortKeys(x: Float32Array | Int32Array, keys: Uint32Array, descending: boolean): void {
  const flip = descending ? 0xffffffff : 0;
  if (x instanceof Int32Array) {
    for (let i = 0; i < x.length; i++) keys[i] = ((x[i]! ^ 0x80000000) ^ flip) >>> 0;
    return;
  }
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  for (let i = 0; i < x.length; i++) {
    let b = bits[i]!;
    if ((b & 0x7fffffff) > 0x7f800000) b = 0x7fc00000; // every NaN is the one largest value
    else if (b === 0x80000000) b = 0; // −0 equals +0
    const key = b >>> 31 === 1 ? ~b : b | 0x80000000;
    keys[i] = (key ^ flip) >>> 0;
  }
}

/** Sorts `idx[0..n)` (holding 0..n-1) by (key, index), in place, for one row of keys starting at `base`. */
function insertionSort(keys: Uint32Array, base: number, idx: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = idx[i]!;
    const k = keys[base + v]!;
    let j = i - 1;
    while (j >= 0 && keys[base + idx[j]!]! > k) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = v;
  }
}

/** Stable LSD radix sort of one row: `idx` ends up in (key, index) order; `tmpKey` / `tmpIdx` are scratch of length ≥ n. */
function radixSort(rowKeys: Uint32Array, idx: Int32Array, tmpKey: Uint32Array, tmpIdx: Int32Array, counts: Uint32Array): void {
  const n = idx.length;
  let srcKey = rowKeys;
  let srcIdx = idx;
  let dstKey = tmpKey;
  let dstIdx = tmpIdx;
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(srcKey[i]! >>> shift) & 0xff]!++;
    // A byte that every key shares moves nothing.
    if (counts[(srcKey[0]! >>> shift) & 0xff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = srcKey[i]!;
      const at = counts[(k >>> shift) & 0xff]!++;
      dstKey[at] = k;
      dstIdx[at] = srcIdx[i]!;
    }
    [srcKey, dstKey] = [dstKey, srcKey];
    [srcIdx, dstIdx] = [dstIdx, srcIdx];
  }
  if (srcIdx !== idx) idx.set(srcIdx);
}

/** Stable argsort of each row of x [outer, n] (see Backend.argsort); returns int32 [outer, n]. */
export function argsortKernel(x: Float32Array | Int32Array, shape: readonly number[], descending: boolean): Int32Array {
  const outer = shape[0]!;
  const n = shape[1]!;
  const keys = new Uint32Array(outer * n);
  sortKeys(x, keys, descending);
  const out = new Int32Array(outer * n);
  const tmpKey = new Uint32Array(n);
  const tmpIdx = new Int32Array(n);
  const rowKey = new Uint32Array(n);
  const counts = new Uint32Array(256);
  for (let r = 0; r < outer; r++) {
    const idx = out.subarray(r * n, (r + 1) * n);
    for (let i = 0; i < n; i++) idx[i] = i;
    if (n <= INSERTION_MAX) {
      insertionSort(keys, r * n, idx, n);
    } else {
      rowKey.set(keys.subarray(r * n, (r + 1) * n));
      radixSort(rowKey, idx, tmpKey, tmpIdx, counts);
    }
  }
  return out;
}
