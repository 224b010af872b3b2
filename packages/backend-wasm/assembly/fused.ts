// The fused elementwise interpreter: runs a program (encoded by the host, src/fused.ts) over a flat
// output range in tiles of a few KB, applying each instruction to a whole tile with the same loops
// the unfused kernels use (the generated unary / binary dispatch, where4, the strided gathers), so
// that intermediate values stay in L1 and the results equal the unfused kernels' bit for bit.
//
// Program words (i32): [nValues, nIn, nInstr, nOut, tile, whereMeta, then per input 4 words
// (ptr, bytes per element, contiguous 0/1, gather meta), per instruction 6 words (kind, op, a, b, c,
// param), per output 3 words (value, ptr, bytes per element)]. Scratch per call: one pointer per value,
// then one tile of `tile` 4-byte elements (plus a 64-byte gap) per value.
import { binaryRun, unaryOp } from './generated/elementwise-dispatch';
import { where4 } from './binary';
import { copy1, copy4 } from './layout';
import { at, fill } from './simd';

/** Instruction kinds (the host's FUSED_KIND). */
const UNARY: i32 = 0;
const BINARY: i32 = 1;
const WHERE4: i32 = 2;
const F32_TO_BOOL: i32 = 3;
const BOOL_TO_F32: i32 = 4;
const CONST_F32: i32 = 5;
const CONST_BOOL: i32 = 6;

const HEADER: i32 = 6;
const INPUT_WORDS: i32 = 4;
const INSTR_WORDS: i32 = 6;
const OUTPUT_WORDS: i32 = 3;

// @ts-ignore: decorator
@inline function word(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** Runs the program at `prog` over output elements [start, end), with `scratch` for this thread. */
export function fused(prog: usize, scratch: usize, start: i32, end: i32): void {
  const nValues = word(prog, 0);
  const nIn = word(prog, 1);
  const nInstr = word(prog, 2);
  const nOut = word(prog, 3);
  const tile = word(prog, 4);
  const whereMeta = <usize>word(prog, 5);
  const inputs = prog + (<usize>HEADER << 2);
  const instrs = inputs + (<usize>(nIn * INPUT_WORDS) << 2);
  const outs = instrs + (<usize>(nInstr * INSTR_WORDS) << 2);
  const ptrs = scratch;
  const tiles = (scratch + (<usize>nValues << 2) + 15) & ~(<usize>15);
  // Tiles one cache line more than their size apart: a whole-page stride would make every value's
  // tile alias the same L1 sets (and stall loads behind stores 4 KB away).
  const tileBytes = <usize>(tile << 2) + 64;
  for (let t0 = start; t0 < end; t0 += tile) {
    const len = min(tile, end - t0);
    // Each value's pointer for this tile: its own tile, an input in place, or an output in place.
    for (let v = 0; v < nValues; v++) store<usize>(ptrs + (<usize>v << 2), tiles + <usize>v * tileBytes);
    for (let k = 0; k < nIn; k++) {
      const e = inputs + (<usize>(k * INPUT_WORDS) << 2);
      const ptr = <usize>word(e, 0);
      const size = word(e, 1);
      if (word(e, 2) != 0) {
        store<usize>(ptrs + (<usize>k << 2), ptr + <usize>(t0 * size));
      } else {
        const meta = <usize>word(e, 3);
        const rank = word(meta, 0);
        const dst = tiles + <usize>k * tileBytes - <usize>(t0 * size); // the gathers write at dst + i·size
        if (size == 4) copy4(rank, meta + 4, ptr, dst, t0, t0 + len);
        else copy1(rank, meta + 4, ptr, dst, t0, t0 + len);
      }
    }
    for (let j = 0; j < nOut; j++) {
      const e = outs + (<usize>(j * OUTPUT_WORDS) << 2);
      const v = word(e, 0);
      if (v >= nIn) store<usize>(ptrs + (<usize>v << 2), <usize>word(e, 1) + <usize>(t0 * word(e, 2)));
    }
    for (let r = 0; r < nInstr; r++) {
      const e = instrs + (<usize>(r * INSTR_WORDS) << 2);
      const kind = word(e, 0);
      const op = word(e, 1);
      const dst = load<usize>(ptrs + (<usize>(nIn + r) << 2));
      const a = load<usize>(ptrs + (<usize>word(e, 2) << 2));
      if (kind == UNARY) {
        unaryOp(op, a, dst, 0, len, reinterpret<f32>(word(e, 5)));
      } else if (kind == BINARY) {
        binaryRun(op, a, 1, load<usize>(ptrs + (<usize>word(e, 3) << 2)), 1, dst, 0, len);
      } else if (kind == WHERE4) {
        const x = load<usize>(ptrs + (<usize>word(e, 3) << 2));
        const y = load<usize>(ptrs + (<usize>word(e, 4) << 2));
        where4(1, whereMeta, a, x, y, dst, 0, len);
      } else if (kind == F32_TO_BOOL) {
        for (let i = 0; i < len; i++) store<u8>(dst + <usize>i, load<f32>(at(a, i)) != 0 ? 1 : 0);
      } else if (kind == BOOL_TO_F32) {
        for (let i = 0; i < len; i++) store<f32>(at(dst, i), <f32>load<u8>(a + <usize>i));
      } else if (kind == CONST_F32) {
        fill(dst, len, reinterpret<f32>(word(e, 5)));
      } else if (kind == CONST_BOOL) {
        memory.fill(dst, <u8>word(e, 5), <usize>len);
      } else {
        unreachable();
      }
    }
    // Outputs that are inputs were not computed in place: copy them out.
    for (let j = 0; j < nOut; j++) {
      const e = outs + (<usize>(j * OUTPUT_WORDS) << 2);
      const v = word(e, 0);
      if (v >= nIn) continue;
      const size = word(e, 2);
      memory.copy(<usize>word(e, 1) + <usize>(t0 * size), load<usize>(ptrs + (<usize>v << 2)), <usize>(len * size));
    }
  }
}
