import type { FusedInstruction } from '../backend/fused-types.js';

/** `ins` with each operand v replaced by `at(v)` (and `at` called on each operand in order). */
export function mapOperands(ins: FusedInstruction, at: (v: number) => number): FusedInstruction {
  switch (ins.kind) {
    case 'unary':
    case 'cast':
      return { ...ins, arg: at(ins.arg) };
    case 'binary':
      return { ...ins, args: [at(ins.args[0]), at(ins.args[1])] };
    case 'where':
      return { ...ins, args: [at(ins.args[0]), at(ins.args[1]), at(ins.args[2])] };
    case 'const':
      return ins;
  }
}
