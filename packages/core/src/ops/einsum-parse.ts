/**
 * Parsing and checking of einsum equations: operand subscripts (letters and at most one '...'), the
 * output (explicit after '->' or NumPy's implicit one) and the size of every index, with errors
 * naming the equation and the shapes.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';

/**
 * A checked equation. Each axis carries a label: its letter, or `…k` for the k-th of the broadcast
 * dimensions '...' stands for (right-aligned across operands, as NumPy broadcasts). `sizes` holds
 * each label's size after broadcasting (an operand's '...' axis of size 1 broadcasts).
 */
export interface EinsumPlan {
  readonly inputs: readonly (readonly string[])[];
  readonly output: readonly string[];
  readonly sizes: ReadonlyMap<string, number>;
}

/** A term split at its '...': the letters before and after, or null for a term without one. */
interface Term {
  readonly before: readonly string[];
  readonly after: readonly string[] | null;
}

const LETTERS = /^[A-Za-z]*$/;
const ellipsisLabel = (k: number): string => `…${k}`;

function parseTerm(term: string, equation: string, where: string): Term {
  const pieces = term.split('...');
  if (pieces.length > 2 || !pieces.every((p) => LETTERS.test(p))) {
    throw new ArgumentError(`einsum: cannot parse '${equation}': ${where} '${term}' may hold only letters a-z, A-Z and one '...'`);
  }
  return { before: [...pieces[0]!], after: pieces.length === 2 ? [...pieces[1]!] : null };
}

/** The labels of a term whose '...' stands for `e` axes out of `total` broadcast ones. */
function labelsOf(t: Term, e: number, total: number): string[] {
  if (t.after === null) return [...t.before];
  return [...t.before, ...Array.from({ length: e }, (_, j) => ellipsisLabel(total - e + j)), ...t.after];
}

/**
 * Parses `equation` for operands of the given shapes. The implicit output (no '->') is the '...'
 * axes, then every letter used exactly once in alphabetical order (upper case first), as NumPy's.
 */
export function parseEinsum(equation: string, shapes: readonly (readonly number[])[]): EinsumPlan {
  if (typeof equation !== 'string') throw new ArgumentError(`einsum: equation must be a string, got ${String(equation)}`);
  const eq = equation.replace(/\s+/g, '');
  const parts = eq.split('->');
  if (parts.length > 2 || parts[0] === '') throw new ArgumentError(`einsum: cannot parse '${equation}': expected 'ij,jk->ik' (operand subscripts, optional '->' and output)`);
  const rawTerms = parts[0]!.split(',');
  const terms = rawTerms.map((t, i) => parseTerm(t, equation, `operand ${i}`));
  if (terms.length !== shapes.length) {
    throw new ArgumentError(`einsum: '${equation}' names ${terms.length} operand(s), got ${shapes.length} (shapes ${shapes.map(fmtShape).join(', ')})`);
  }
  // How many axes each operand's '...' stands for, and their broadcast sizes (right-aligned).
  const ellipsisRanks = terms.map((t, i) => {
    const named = t.before.length + (t.after?.length ?? 0);
    const rank = shapes[i]!.length;
    if (t.after === null ? named !== rank : named > rank) {
      throw new ShapeError(`einsum: operand ${i} ${fmtShape(shapes[i]!)} has rank ${rank} but '${rawTerms[i]}' in '${equation}' names ${named} axes`);
    }
    return t.after === null ? 0 : rank - named;
  });
  const total = Math.max(0, ...ellipsisRanks);
  const inputs = terms.map((t, i) => labelsOf(t, ellipsisRanks[i]!, total));
  const sizes = new Map<string, number>();
  const seenIn = new Map<string, number>();
  inputs.forEach((labels, i) => {
    const shape = shapes[i]!;
    labels.forEach((c, a) => {
      const d = shape[a]!;
      const known = sizes.get(c);
      const first = seenIn.get(c);
      if (c.startsWith('…')) {
        if (known !== undefined && known !== d && known !== 1 && d !== 1) {
          throw new ShapeError(`einsum: the '...' axes of operand ${first} ${fmtShape(shapes[first!]!)} and operand ${i} ${fmtShape(shape)} do not broadcast together in '${equation}'`);
        }
        if (known === undefined || known === 1) sizes.set(c, d);
      } else {
        if (known !== undefined && known !== d) {
          throw new ShapeError(
            `einsum: index '${c}' of '${equation}' has size ${known} in operand ${first} ${fmtShape(shapes[first!]!)} but ${d} in operand ${i} ${fmtShape(shape)}`,
          );
        }
        sizes.set(c, d);
      }
      if (first === undefined) seenIn.set(c, i);
    });
  });
  let output: string[];
  if (parts.length === 2) {
    const out = parseTerm(parts[1]!, equation, 'the output');
    if (out.after === null && total > 0) {
      throw new ArgumentError(`einsum: the output of '${equation}' must keep '...' (it stands for ${total} axes of the operands ${shapes.map(fmtShape).join(', ')}), as in NumPy`);
    }
    output = labelsOf(out, total, total);
    [...out.before, ...(out.after ?? [])].forEach((c, i, all) => {
      if (!sizes.has(c)) throw new ArgumentError(`einsum: output index '${c}' of '${equation}' appears in no operand`);
      if (all.indexOf(c) !== i) throw new ArgumentError(`einsum: output index '${c}' of '${equation}' is repeated`);
    });
  } else {
    const counts = new Map<string, number>();
    for (const t of terms) for (const c of [...t.before, ...(t.after ?? [])]) counts.set(c, (counts.get(c) ?? 0) + 1);
    const once = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
    output = [...Array.from({ length: total }, (_, k) => ellipsisLabel(k)), ...once];
  }
  return { inputs, output, sizes };
}
