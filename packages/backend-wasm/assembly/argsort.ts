// Stable argsort of rows [r0, r1) of a [outer, n] float32 / int32 matrix (see Backend.argsort). Each
// value becomes an unsigned key whose order is the contract's (NaN largest, −0 = +0, inverted for
// descending); short rows are insertion-sorted, longer ones LSD radix-sorted on the key bytes, which
// is stable, so equal keys keep their lower index first. `work` holds 3·n + 256 words per call.

const INSERTION_MAX: i32 = 32;

/** The sort key of element i of x. */
// @ts-ignore: decorator
@inline function keyOf(x: usize, i: i32, isInt: bool, flip: u32): u32 {
  let b = load<u32>(x + (<usize>i << 2));
  if (isInt) return (b ^ 0x80000000) ^ flip;
  if ((b & 0x7fffffff) > 0x7f800000) b = 0x7fc00000; // every NaN is the one largest value
  else if (b == 0x80000000) b = 0; // −0 equals +0
  const key: u32 = (b >> 31) == 1 ? ~b : b | 0x80000000;
  return key ^ flip;
}

/** Sorts row indices [0, n) by (key, index) into idx, keys at `keys` (n words). */
function insertionSort(keys: usize, idx: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const k = load<u32>(keys + (<usize>i << 2));
    let j = i - 1;
    while (j >= 0) {
      const o = load<i32>(idx + (<usize>j << 2));
      if (load<u32>(keys + (<usize>o << 2)) <= k) break;
      store<i32>(idx + (<usize>(j + 1) << 2), o);
      j--;
    }
    store<i32>(idx + (<usize>(j + 1) << 2), i);
  }
}

/** LSD radix sort by key bytes: idx ends in (key, index) order; keys, tk, ti and counts are scratch. */
function radixSort(keys: usize, idx: usize, tk: usize, ti: usize, counts: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), i);
  let sk = keys, si = idx, dk = tk, di = ti;
  for (let shift: u32 = 0; shift < 32; shift += 8) {
    memory.fill(counts, 0, 256 << 2);
    for (let i = 0; i < n; i++) {
      const c = counts + (<usize>((load<u32>(sk + (<usize>i << 2)) >> shift) & 0xff) << 2);
      store<u32>(c, load<u32>(c) + 1);
    }
    // A byte that every key shares moves nothing.
    if (load<u32>(counts + (<usize>((load<u32>(sk) >> shift) & 0xff) << 2)) == <u32>n) continue;
    let sum: u32 = 0;
    for (let d = 0; d < 256; d++) {
      const c = counts + (<usize>d << 2);
      const v = load<u32>(c);
      store<u32>(c, sum);
      sum += v;
    }
    for (let i = 0; i < n; i++) {
      const k = load<u32>(sk + (<usize>i << 2));
      const c = counts + (<usize>((k >> shift) & 0xff) << 2);
      const at = load<u32>(c);
      store<u32>(c, at + 1);
      store<u32>(dk + (<usize>at << 2), k);
      store<i32>(di + (<usize>at << 2), load<i32>(si + (<usize>i << 2)));
    }
    const tkk = sk; sk = dk; dk = tkk;
    const tii = si; si = di; di = tii;
  }
  if (si != idx) memory.copy(idx, si, <usize>n << 2);
}

/** Rows [r0, r1) of x [outer, n] (isInt: int32, else float32) → int32 sort order in out. */
export function argsort(x: usize, out: usize, n: i32, isInt: i32, descending: i32, r0: i32, r1: i32, work: usize): void {
  const flip: u32 = descending != 0 ? 0xffffffff : 0;
  const keys = work;
  const tk = keys + (<usize>n << 2);
  const ti = tk + (<usize>n << 2);
  const counts = ti + (<usize>n << 2);
  for (let r = r0; r < r1; r++) {
    const row = x + (<usize>r * <usize>n << 2);
    const idx = out + (<usize>r * <usize>n << 2);
    for (let i = 0; i < n; i++) store<u32>(keys + (<usize>i << 2), keyOf(row, i, isInt != 0, flip));
    if (n <= INSERTION_MAX) insertionSort(keys, idx, n);
    else radixSort(keys, idx, tk, ti, counts, n);
  }
}

