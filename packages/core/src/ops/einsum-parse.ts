/**
 * Parsing and checking of einsum equations: operand subscripts, the output (explicit after '->' or
 * NumPy's implicit one) and the size of every index letter, with errors naming the equation and shapes.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';

/** A checked equation: each operand's letters, the output's, and every letter's size. */
export interface EinsumPlan {
  readonly inputs: readonly (readonly string[])[];
  readonly output: readonly string[];
  readonly sizes: ReadonlyMap<string, number>;
}

const LETTERS = /^[A-Za-z]*$/;

function letters(term: string, equation: string, where: string): string[] {
  if (term.includes('.')) {
    throw new ArgumentError(`einsum: '...' (broadcast dimensions) is not supported, in ${where} '${term}' of '${equation}'; name every axis with a letter`);
  }
  if (!LETTERS.test(term)) {
    throw new ArgumentError(`einsum: cannot parse '${equation}': ${where} '${term}' may hold only letters a-z, A-Z`);
  }
  return [...term];
}

/**
 * Parses `equation` for operands of the given shapes. The implicit output (no '->') is every letter
 * used exactly once, in alphabetical order (upper case first), as NumPy's.
 */
export function parseEinsum(equation: string, shapes: readonly (readonly number[])[]): EinsumPlan {
  if (typeof equation !== 'string') throw new ArgumentError(`einsum: equation must be a string, got ${String(equation)}`);
  const eq = equation.replace(/\s+/g, '');
  const parts = eq.split('->');
  if (parts.length > 2 || eq === '' || parts[0] === '') throw new ArgumentError(`einsum: cannot parse '${equation}': expected 'ij,jk->ik' (operand subscripts, optional '->' and output)`);
  const terms = parts[0]!.split(',');
  const inputs = terms.map((t, i) => letters(t, equation, `operand ${i}`));
  if (inputs.length !== shapes.length) {
    throw new ArgumentError(`einsum: '${equation}' names ${inputs.length} operand(s), got ${shapes.length} (shapes ${shapes.map(fmtShape).join(', ')})`);
  }
  const sizes = new Map<string, number>();
  const seenIn = new Map<string, number>();
  inputs.forEach((subs, i) => {
    const shape = shapes[i]!;
    if (subs.length !== shape.length) {
      throw new ShapeError(`einsum: operand ${i} ${fmtShape(shape)} has rank ${shape.length} but '${terms[i]}' in '${equation}' names ${subs.length} axes`);
    }
    subs.forEach((c, a) => {
      const d = shape[a]!;
      const known = sizes.get(c);
      if (known !== undefined && known !== d) {
        const first = seenIn.get(c)!;
        throw new ShapeError(
          `einsum: index '${c}' of '${equation}' has size ${known} in operand ${first} ${fmtShape(shapes[first]!)} but ${d} in operand ${i} ${fmtShape(shape)}`,
        );
      }
      sizes.set(c, d);
      if (!seenIn.has(c)) seenIn.set(c, i);
    });
  });
  let output: string[];
  if (parts.length === 2) {
    output = letters(parts[1]!, equation, 'the output');
    output.forEach((c, i) => {
      if (!sizes.has(c)) throw new ArgumentError(`einsum: output index '${c}' of '${equation}' appears in no operand`);
      if (output.indexOf(c) !== i) throw new ArgumentError(`einsum: output index '${c}' of '${equation}' is repeated`);
    });
  } else {
    const counts = new Map<string, number>();
    for (const subs of inputs) for (const c of subs) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
  }
  return { inputs, output, sizes };
}
