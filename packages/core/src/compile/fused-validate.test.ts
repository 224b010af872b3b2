import { describe, expect, it } from 'vitest';
import type { FusedElementwiseProgram } from '../backend/fused-types.js';
import { ArgumentError } from '../errors.js';
import { validateFusedProgram } from './fused-validate.js';

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

/** The message validateFusedProgram throws for `program` (an ArgumentError), or '' when it passes. */
function problem(program: FusedElementwiseProgram): string {
  try {
    validateFusedProgram(program);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    return (e as Error).message;
  }
}

describe('validateFusedProgram', () => {
  it('returns each value\'s dtype and own broadcast shape', () => {
    const infos = validateFusedProgram({
      inputs: [f32([2, 1]), f32([3])], outShape: [4, 2, 3],
      instructions: [
        { kind: 'binary', op: 'less', args: [0, 1], dtype: 'bool' },
        { kind: 'const', value: 2, dtype: 'float32' },
        { kind: 'where', args: [2, 0, 3] },
        { kind: 'cast', arg: 2, dtype: 'int32' },
        { kind: 'unary', op: 'abs', arg: 5 },
      ],
      outputs: [4, 6],
    });
    expect(infos.map((v) => [v.dtype, v.shape])).toEqual([
      ['float32', [2, 1]], ['float32', [3]], ['bool', [2, 3]], ['float32', []], ['float32', [2, 3]], ['int32', [2, 3]], ['int32', [2, 3]],
    ]);
  });

  it('names the instruction and operand at fault', () => {
    const base = { inputs: [f32([2])], outShape: [2], outputs: [1] };
    expect(problem({ ...base, instructions: [{ kind: 'unary', op: 'exp', arg: 3 }] }))
      .toBe('fusedElementwise: instruction 0 (unary exp): operand arg is 3, expected an index of an earlier value in 0..0');
    expect(problem({ ...base, instructions: [{ kind: 'unary', op: 'logicalNot', arg: 0 }] }))
      .toBe('fusedElementwise: instruction 0 (unary logicalNot): operand arg is float32; the kernel takes bool');
    expect(problem({ ...base, instructions: [{ kind: 'binary', op: 'add', args: [0, 0], dtype: 'int32' }] }))
      .toBe('fusedElementwise: instruction 0 (binary add): dtype is int32, but the kernel gives float32 for float32 operands');
    expect(problem({ ...base, instructions: [{ kind: 'cast', arg: 0, dtype: 'float32' }] }))
      .toBe('fusedElementwise: instruction 0 (cast): casts float32 to itself (the cast kernel always changes the dtype)');
    expect(problem({ ...base, instructions: [{ kind: 'where', args: [0, 0, 0] }] }))
      .toBe('fusedElementwise: instruction 0 (where): operand cond is float32; the kernel takes bool');
    expect(problem({ ...base, instructions: [{ kind: 'unary', op: 'nope' as 'exp', arg: 0 }] }))
      .toBe('fusedElementwise: instruction 0 (unary nope): unknown unary op nope');
  });

  it('rejects shapes that do not broadcast, empty programs and bad outputs', () => {
    const neg = [{ kind: 'unary' as const, op: 'neg' as const, arg: 0 }];
    expect(problem({ inputs: [f32([3])], outShape: [2, 2], instructions: neg, outputs: [1] }))
      .toBe("fusedElementwise: input 0's shape [3] does not broadcast to outShape [2,2]");
    expect(problem({ inputs: [f32([2])], outShape: [2], instructions: [], outputs: [0] })).toBe('fusedElementwise: the program has no instructions');
    expect(problem({ inputs: [f32([2])], outShape: [2], instructions: neg, outputs: [] })).toBe('fusedElementwise: the program has no outputs');
    expect(problem({ inputs: [f32([2])], outShape: [2], instructions: neg, outputs: [1, 1] })).toBe('fusedElementwise: output 1 is listed twice');
    expect(problem({ inputs: [f32([2])], outShape: [2], instructions: neg, outputs: [2] })).toBe('fusedElementwise: output 2 is not a value index in 0..1');
    expect(problem({ inputs: [f32([2])], outShape: [2, -1], instructions: neg, outputs: [1] }))
      .toBe('fusedElementwise: outShape must be an array of non-negative integers, got [2,-1]');
  });
});
