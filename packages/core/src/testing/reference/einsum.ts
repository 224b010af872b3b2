import { fromFn, ravel, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/**
 * einsum by brute force: every assignment of values to every letter adds the product of the operands'
 * elements into the output element its output letters name. `output` is given explicitly (the
 * reference does not re-derive NumPy's implicit order).
 */
export function refEinsum(inputs: readonly string[], output: string, operands: readonly NDArray[]): NDArray {
  const size = new Map<string, number>();
  inputs.forEach((subs, i) => [...subs].forEach((c, a) => size.set(c, operands[i]!.shape[a]!)));
  const all = [...size.keys()];
  const dims = all.map((c) => size.get(c)!);
  const outShape = [...output].map((c) => size.get(c)!);
  // Products are float32; one operand alone (a transpose, a sum, a diagonal) keeps its dtype.
  const out = fromFn(outShape, operands.length === 1 ? operands[0]!.dtype : 'float32', () => 0);
  for (let f = 0; f < sizeOfShape(dims); f++) {
    const value = unravel(f, dims);
    const of = (c: string): number => value[all.indexOf(c)]!;
    let term = 1;
    inputs.forEach((subs, i) => {
      term *= operands[i]!.data[ravel([...subs].map(of), operands[i]!.shape)]!;
    });
    const o = ravel([...output].map(of), outShape);
    out.data[o] = out.data[o]! + term;
  }
  return out;
}
