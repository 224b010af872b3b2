/**
 * The fused kernel's interpreter, for where `new Function` is forbidden: it walks a row in tiles of
 * {@link TILE} elements, loads each input's tile once, applies each step to whole tiles (core's
 * TypeScript form of the op, stored exactly as the generated code and the unfused kernels store it),
 * and writes the output tiles. Same results as the generated loops, bit for bit.
 */
import {
  fusedScalarForm, type FusedElementwiseProgram, type FusedInstruction, type FusedValueInfo, type TypedArray,
} from '@scratchnet/core';
import type { FusedRow } from './fused.js';

/** Elements per tile: every value's tile (8 bytes each) stays in L1 for a few values. */
const TILE = 256;

type Tile = Float64Array;
/** Fills `out[0..len)` from the operand tiles. */
type Step = (out: Tile, args: readonly Tile[], len: number) => void;

const round = {
  float32: Math.fround,
  int32: (x: number) => x | 0,
  bool: (x: number) => x,
  truth: (x: number | boolean) => (x ? 1 : 0),
};

/** The tile step of one instruction. */
function stepOf(ins: FusedInstruction, infos: readonly FusedValueInfo[]): Step {
  switch (ins.kind) {
    case 'unary':
    case 'binary': {
      const first = ins.kind === 'unary' ? ins.arg : ins.args[0];
      const { fn, store, alpha } = fusedScalarForm(ins, infos[first]!.dtype);
      const put = round[store] as (x: number | boolean) => number;
      if (ins.kind === 'unary') return (out, [x], len) => { for (let i = 0; i < len; i++) out[i] = put(fn(x![i]!, alpha)); };
      return (out, [a, b], len) => { for (let i = 0; i < len; i++) out[i] = put(fn(a![i]!, b![i]!)); };
    }
    case 'where':
      return (out, [c, a, b], len) => { for (let i = 0; i < len; i++) out[i] = c![i] !== 0 ? a![i]! : b![i]!; };
    case 'cast': {
      const put = ins.dtype === 'bool' ? (x: number) => (x !== 0 ? 1 : 0) : round[ins.dtype];
      return (out, [x], len) => { for (let i = 0; i < len; i++) out[i] = put(x![i]!); };
    }
    case 'const': {
      const value = ins.dtype === 'float32' ? Math.fround(ins.value) : ins.dtype === 'int32' ? ins.value | 0 : ins.value !== 0 ? 1 : 0;
      return (out, _args, len) => out.fill(value, 0, len);
    }
  }
}

/** The operand indices of an instruction. */
function operandsOf(ins: FusedInstruction): readonly number[] {
  switch (ins.kind) {
    case 'unary': case 'cast': return [ins.arg];
    case 'binary': case 'where': return ins.args;
    case 'const': return [];
  }
}

/** A row function that interprets `program` tile by tile (no generated code). */
export function interpretedRow(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): FusedRow {
  const nIn = program.inputs.length;
  const tiles = infos.map(() => new Float64Array(TILE));
  const steps = program.instructions.map((ins) => ({ run: stepOf(ins, infos), args: operandsOf(ins).map((i) => tiles[i]!) }));
  return (xs: readonly TypedArray[], outs: readonly TypedArray[], off: ArrayLike<number>, strides: readonly number[], n: number) => {
    for (let t = 0; t < n; t += TILE) {
      const len = Math.min(TILE, n - t);
      for (let k = 0; k < nIn; k++) {
        const x = xs[k]!;
        const tile = tiles[k]!;
        const s = strides[k]!;
        for (let i = 0, p = off[k + 1]! + t * s; i < len; i++, p += s) tile[i] = x[p]!;
      }
      steps.forEach((step, k) => step.run(tiles[nIn + k]!, step.args, len));
      program.outputs.forEach((o, j) => {
        const out = outs[j]!;
        const tile = tiles[o]!;
        const base = off[0]! + t;
        for (let i = 0; i < len; i++) out[base + i] = tile[i]!;
      });
    }
  };
}
