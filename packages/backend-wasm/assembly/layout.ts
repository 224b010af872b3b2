// Strided gathers: out[i] = x[offset + Σ idx_d·stride_d] for flat output indices [start, end), with
// 4-byte (float32 / int32) or 1-byte (bool) elements. meta = i32 [shape(rank), strides(rank)];
// strides may be 0 (broadcast) or negative (reverse).

// @ts-ignore: decorator
@inline function gather<T>(rank: i32, meta: usize, x: usize, out: usize, start: i32, end: i32): void {
  const size = <i32>sizeof<T>();
  const st = meta + <usize>(rank << 2);
  const last = rank - 1;
  const inner = load<i32>(meta + <usize>(last << 2));
  const step = load<i32>(st + <usize>(last << 2));
  if (inner <= 0) return;
  let row = start / inner;
  let col = start - row * inner;
  let i = start;
  while (i < end) {
    let off = col * step;
    let r = row;
    for (let d = last - 1; d >= 0; d--) {
      const dim = load<i32>(meta + <usize>(d << 2));
      const q = r / dim;
      off += (r - q * dim) * load<i32>(st + <usize>(d << 2));
      r = q;
    }
    const len = min(inner - col, end - i);
    const src = x + <usize>(off * size);
    const dst = out + <usize>(i * size);
    if (step == 1) {
      memory.copy(dst, src, <usize>(len * size));
    } else {
      for (let j = 0; j < len; j++) store<T>(dst + <usize>(j * size), load<T>(src + <usize>(j * step * size)));
    }
    i += len;
    col = 0;
    row++;
  }
}

/** Strided gather of 4-byte elements; x already points at the view's offset. */
export function copy4(rank: i32, meta: usize, x: usize, out: usize, start: i32, end: i32): void {
  gather<i32>(rank, meta, x, out, start, end);
}

/** Strided gather of bytes; x already points at the view's offset. */
export function copy1(rank: i32, meta: usize, x: usize, out: usize, start: i32, end: i32): void {
  gather<u8>(rank, meta, x, out, start, end);
}
