/**
 * Programs the fused kernels take only in part (a one-hot mask from int32 labels inside a float32 loss
 * gradient): the steps they lack, with every step those depend on, run first one unfused kernel each
 * (the "head"); the rest runs as one fused kernel reading the head's results as inputs. This keeps one
 * int32 comparison from sending a whole chain of float32 steps back to one kernel per step.
 */
import { validateFusedProgram, type FusedElementwiseProgram, type FusedInstruction, type FusedValueInfo } from '@scratchnet/core';

/**
 * A program cut in two: run `head` unfused, then `rest` fused on `restInputs` (an original input k or
 * head output j). `head` is null when nothing reads its results (its steps are dead).
 */
export interface FusedSplit {
  readonly head: FusedElementwiseProgram | null;
  readonly rest: FusedElementwiseProgram;
  readonly restInfos: readonly FusedValueInfo[];
  readonly restInputs: readonly (readonly ['input' | 'head', number])[];
}

/** The values a step reads. */
export function operandsOf(ins: FusedInstruction): readonly number[] {
  return ins.kind === 'unary' || ins.kind === 'cast' ? [ins.arg] : ins.kind === 'const' ? [] : ins.args;
}

/** Moves a step to new value indices. */
function renumber(ins: FusedInstruction, at: (v: number) => number): FusedInstruction {
  switch (ins.kind) {
    case 'unary': return { ...ins, arg: at(ins.arg) };
    case 'cast': return { ...ins, arg: at(ins.arg) };
    case 'binary': return { ...ins, args: [at(ins.args[0]), at(ins.args[1])] };
    case 'where': return { ...ins, args: [at(ins.args[0]), at(ins.args[1]), at(ins.args[2])] };
    case 'const': return ins;
  }
}

/**
 * Splits `program` so that the steps `lacks` names (and all they depend on) come first, or returns null
 * where nothing would be left to fuse or `takes` refuses the rest.
 */
export function splitFused(
  program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], lacks: (ins: FusedInstruction, r: number) => boolean,
  takes: (rest: FusedElementwiseProgram, infos: readonly FusedValueInfo[]) => boolean,
): FusedSplit | null {
  const nIn = program.inputs.length;
  const { instructions } = program;
  // The head: steps the kernels lack, then (walking back) every step they read.
  const inHead = instructions.map((ins, r) => lacks(ins, r));
  for (let r = instructions.length - 1; r >= 0; r--) {
    if (!inHead[r]) continue;
    for (const v of operandsOf(instructions[r]!)) if (v >= nIn) inHead[v - nIn] = true;
  }
  if (!inHead.some(Boolean) || inHead.every(Boolean)) return null;
  const isHead = (v: number): boolean => v >= nIn && inHead[v - nIn]!;
  // Head values the rest reads or the program returns, each a head output.
  const needed = new Set<number>();
  instructions.forEach((ins, r) => {
    if (!inHead[r]) for (const v of operandsOf(ins)) if (isHead(v)) needed.add(v);
  });
  for (const v of program.outputs) if (isHead(v)) needed.add(v);
  const headValues: number[] = [];
  const headIndex = new Map<number, number>();
  for (let v = 0; v < nIn; v++) headIndex.set(v, v);
  instructions.forEach((_, r) => {
    if (!inHead[r]) return;
    headIndex.set(nIn + r, nIn + headValues.length);
    headValues.push(nIn + r);
  });
  const headOutputs = [...needed].sort((a, b) => a - b);
  const head: FusedElementwiseProgram | null = headOutputs.length === 0 ? null : {
    inputs: program.inputs,
    outShape: program.outShape,
    instructions: headValues.map((v) => renumber(instructions[v - nIn]!, (u) => headIndex.get(u)!)),
    outputs: headOutputs.map((v) => headIndex.get(v)!),
  };
  // The rest: original inputs it reads (or returns), then the head's outputs, then its own steps.
  const restIndex = new Map<number, number>();
  const restInputs: ['input' | 'head', number][] = [];
  const restSpecs: { shape: readonly number[]; dtype: FusedElementwiseProgram['inputs'][number]['dtype'] }[] = [];
  const readsInput = new Set<number>();
  instructions.forEach((ins, r) => {
    if (!inHead[r]) for (const v of operandsOf(ins)) if (v < nIn) readsInput.add(v);
  });
  for (const v of program.outputs) if (v < nIn) readsInput.add(v);
  for (const k of [...readsInput].sort((a, b) => a - b)) {
    restIndex.set(k, restInputs.length);
    restInputs.push(['input', k]);
    restSpecs.push(program.inputs[k]!);
  }
  headOutputs.forEach((v, j) => {
    restIndex.set(v, restInputs.length);
    restInputs.push(['head', j]);
    restSpecs.push({ shape: program.outShape, dtype: infos[v]!.dtype as FusedElementwiseProgram['inputs'][number]['dtype'] });
  });
  const restSteps: FusedInstruction[] = [];
  instructions.forEach((ins, r) => {
    if (inHead[r]) return;
    restSteps.push(renumber(ins, (u) => restIndex.get(u)!));
    restIndex.set(nIn + r, restInputs.length + restSteps.length - 1);
  });
  const rest: FusedElementwiseProgram = {
    inputs: restSpecs,
    outShape: program.outShape,
    instructions: restSteps,
    outputs: program.outputs.map((v) => restIndex.get(v)!),
  };
  const restInfos = validateFusedProgram(rest);
  return takes(rest, restInfos) ? { head, rest, restInfos, restInputs } : null;
}
