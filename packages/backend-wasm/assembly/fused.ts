// The fused elementwise interpreter: runs a program (encoded by the host, src/fused.ts) over a flat
// output range in tiles of a few KB, applying each instruction to a whole tile with the same loops
// the unfused kernels use (the generated unary / binary dispatch, where4, the strided gathers), so
// that intermediate values stay in L1 and the results equal the unfused kernels' bit for bit.
//
// Every value of the program (inputs, then instruction results) has a place, chosen by the host:
//   TILE    a tile of scratch (its slot), reused by values whose lives do not overlap;
//   STREAM  memory read or written in place at `base` + t0·size (a contiguous input, an output);
//   FIXED   one element at `base`, read with stride 0 (a one-element input, a constant);
//   GATHER  a tile of scratch (its slot) filled each tile by a strided gather from `base`.
// Program words (i32): [nValues, nIn, nInstr, nCopy, tile, nSlots, then per value 5 words (place,
// base, size in bytes, tile slot, gather meta: rank, shape, strides), per instruction 6 words (kind, op, a, b, c, param), per
// copy-out 3 words (value, ptr, size in bytes): outputs that are inputs, copied after each tile].
// Scratch per call: one pointer per value, then `nSlots` tiles of `tile` 4-byte elements (each 64 bytes
// apart). A binary step reads FIXED operands with stride 0; a where step takes a meta block (param)
// holding its operands' strides.
import { binaryRun, unaryOp } from './generated/elementwise-dispatch';
import { where4 } from './binary';
import { copy1, copy4 } from './layout';
import { at, fill } from './simd';

/** Instruction kinds (the host's KIND). */
const UNARY: i32 = 0;
const BINARY: i32 = 1;
const WHERE4: i32 = 2;
const F32_TO_BOOL: i32 = 3;
const BOOL_TO_F32: i32 = 4;
const CONST_F32: i32 = 5;
const CONST_BOOL: i32 = 6;
/** A step whose value the program holds already (a FIXED constant): nothing to run. */
const HELD: i32 = 7;

/** Value places (the host's PLACE). */
const TILE: i32 = 0;
const STREAM: i32 = 1;
const FIXED: i32 = 2;
const GATHER: i32 = 3;

const HEADER: i32 = 6;
const VALUE_WORDS: i32 = 5;
const INSTR_WORDS: i32 = 6;
const COPY_WORDS: i32 = 3;

// @ts-ignore: decorator
@inline function word(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function ptrOf(ptrs: usize, v: i32): usize {
  return load<usize>(ptrs + (<usize>v << 2));
}

/** Runs the program at `prog` over output elements [start, end), with `scratch` for this thread. */
export function fused(prog: usize, scratch: usize, start: i32, end: i32): void {
  const nValues = word(prog, 0);
  const nIn = word(prog, 1);
  const nInstr = word(prog, 2);
  const nCopy = word(prog, 3);
  const tile = word(prog, 4);
  const values = prog + (<usize>HEADER << 2);
  const instrs = values + (<usize>(nValues * VALUE_WORDS) << 2);
  const copies = instrs + (<usize>(nInstr * INSTR_WORDS) << 2);
  const ptrs = scratch;
  const tiles = (scratch + (<usize>nValues << 2) + 15) & ~(<usize>15);
  // Tiles one cache line more than their size apart: a whole-page stride would make every value's
  // tile alias the same L1 sets (and stall loads behind stores 4 KB away).
  const tileBytes = <usize>(tile << 2) + 64;
  // Places that do not move from tile to tile.
  for (let v = 0; v < nValues; v++) {
    const e = values + (<usize>(v * VALUE_WORDS) << 2);
    const place = word(e, 0);
    let p: usize = <usize>word(e, 1);
    if (place == TILE || place == GATHER) p = tiles + <usize>word(e, 3) * tileBytes;
    store<usize>(ptrs + (<usize>v << 2), p);
  }
  for (let t0 = start; t0 < end; t0 += tile) {
    const len = min(tile, end - t0);
    for (let v = 0; v < nValues; v++) {
      const e = values + (<usize>(v * VALUE_WORDS) << 2);
      const place = word(e, 0);
      const size = word(e, 2);
      if (place == STREAM) {
        store<usize>(ptrs + (<usize>v << 2), <usize>word(e, 1) + <usize>(t0 * size));
      } else if (place == GATHER) {
        // The gathers write at dst + i·size for i in [t0, t0 + len): aim dst t0 elements before the tile.
        const meta = <usize>word(e, 4);
        const dst = ptrOf(ptrs, v) - <usize>(t0 * size);
        if (size == 4) copy4(word(meta, 0), meta + 4, <usize>word(e, 1), dst, t0, t0 + len);
        else copy1(word(meta, 0), meta + 4, <usize>word(e, 1), dst, t0, t0 + len);
      }
    }
    for (let r = 0; r < nInstr; r++) {
      const e = instrs + (<usize>(r * INSTR_WORDS) << 2);
      const kind = word(e, 0);
      const op = word(e, 1);
      const dst = ptrOf(ptrs, nIn + r);
      const av = word(e, 2);
      const a = ptrOf(ptrs, av);
      if (kind == UNARY) {
        unaryOp(op, a, dst, 0, len, reinterpret<f32>(word(e, 5)));
      } else if (kind == BINARY) {
        const bv = word(e, 3);
        binaryRun(op, a, strideOf(values, av), ptrOf(ptrs, bv), strideOf(values, bv), dst, 0, len);
      } else if (kind == WHERE4) {
        where4(1, <usize>word(e, 5), a, ptrOf(ptrs, word(e, 3)), ptrOf(ptrs, word(e, 4)), dst, 0, len);
      } else if (kind == F32_TO_BOOL) {
        for (let i = 0; i < len; i++) store<u8>(dst + <usize>i, load<f32>(at(a, i)) != 0 ? 1 : 0);
      } else if (kind == BOOL_TO_F32) {
        for (let i = 0; i < len; i++) store<f32>(at(dst, i), <f32>load<u8>(a + <usize>i));
      } else if (kind == CONST_F32) {
        fill(dst, len, reinterpret<f32>(word(e, 5)));
      } else if (kind == CONST_BOOL) {
        memory.fill(dst, <u8>word(e, 5), <usize>len);
      } else if (kind != HELD) {
        unreachable();
      }
    }
    // Outputs that are inputs were not computed in place: copy them out (a FIXED one is repeated).
    for (let j = 0; j < nCopy; j++) {
      const e = copies + (<usize>(j * COPY_WORDS) << 2);
      const v = word(e, 0);
      const size = word(e, 2);
      const dst = <usize>word(e, 1) + <usize>(t0 * size);
      const src = ptrOf(ptrs, v);
      if (strideOf(values, v) != 0) memory.copy(dst, src, <usize>(len * size));
      else if (size == 4) fill(dst, len, load<f32>(src));
      else memory.fill(dst, load<u8>(src), <usize>len);
    }
  }
}

/** The element stride of value `v`'s tile pointer: 0 for a FIXED value, else 1. */
// @ts-ignore: decorator
@inline function strideOf(values: usize, v: i32): i32 {
  return word(values + (<usize>(v * VALUE_WORDS) << 2), 0) == FIXED ? 0 : 1;
}
