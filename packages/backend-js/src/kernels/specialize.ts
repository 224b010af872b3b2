/**
 * Builds one loop per scalar function, so that each loop's call site sees a single function and the
 * JIT inlines it (a loop shared by every op would see them all and call through a megamorphic site,
 * several times slower). The loop text is fixed and names no op: only the function differs.
 * Where a Content Security Policy forbids `new Function`, every op shares the generic loop instead:
 * the same results, more slowly.
 */

/** Compiles a fresh copy of the loop `source` around `f`, or returns `generic(f)` when code cannot be generated. */
function specialize<F, L>(f: F, source: string, generic: (f: F) => L): L {
  try {
    // The source is one of this file's fixed loop texts, never user input.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('f', source) as (f: F) => L)(f);
  } catch {
    return generic(f);
  }
}

/** out[i] = f(x[i], alpha) for i < n. */
export type MapLoop = (x: ArrayLike<number>, out: { [i: number]: number }, n: number, alpha: number) => void;

const MAP_SOURCE = `return function map(x, out, n, alpha) { for (let i = 0; i < n; i++) out[i] = f(x[i], alpha); };`;

/** A loop applying `f` to every element, specialised to `f`. */
export function mapLoop(f: (x: number, alpha: number) => number): MapLoop {
  return specialize<typeof f, MapLoop>(f, MAP_SOURCE, (g) => (x, out, n, alpha) => {
    for (let i = 0; i < n; i++) out[i] = g(x[i]!, alpha);
  });
}

/** out[i] = f(x[i], y[i], dy[i], alpha) for i < n. */
export type GradLoop = (x: ArrayLike<number>, y: ArrayLike<number>, dy: ArrayLike<number>, out: { [i: number]: number }, n: number, alpha: number) => void;

const GRAD_SOURCE = `return function grad(x, y, dy, out, n, alpha) { for (let i = 0; i < n; i++) out[i] = f(x[i], y[i], dy[i], alpha); };`;

/** A loop applying a fused derivative `f` to every element of three arrays, specialised to `f`. */
export function gradLoop(f: (x: number, y: number, dy: number, alpha: number) => number): GradLoop {
  return specialize<typeof f, GradLoop>(f, GRAD_SOURCE, (g) => (x, y, dy, out, n, alpha) => {
    for (let i = 0; i < n; i++) out[i] = g(x[i]!, y[i]!, dy[i]!, alpha);
  });
}

/** out[io + i] = f(a[ia + i·sa], b[ib + i·sb]) for i < n. */
export type ZipLoop = (
  a: ArrayLike<number>, ia: number, sa: number, b: ArrayLike<number>, ib: number, sb: number,
  out: { [i: number]: number }, io: number, n: number,
) => void;

const zipSource = (value: string): string => `return function zip(a, ia, sa, b, ib, sb, out, io, n) {
  const end = io + n;
  for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = ${value};
};`;
const ZIP_SOURCE = zipSource('f(a[ia], b[ib])');
const TEST_SOURCE = zipSource('f(a[ia], b[ib]) ? 1 : 0');

/** A loop combining two strided rows with `f`, specialised to `f`. */
export function zipLoop(f: (a: number, b: number) => number): ZipLoop {
  return specialize<typeof f, ZipLoop>(f, ZIP_SOURCE, (g) => (a, ia, sa, b, ib, sb, out, io, n) => {
    const end = io + n;
    for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = g(a[ia]!, b[ib]!);
  });
}

/** A loop storing the truth of `f` over two strided rows as 0 / 1, specialised to `f`. */
export function testLoop(f: (a: number, b: number) => boolean): ZipLoop {
  return specialize<typeof f, ZipLoop>(f, TEST_SOURCE, (g) => (a, ia, sa, b, ib, sb, out, io, n) => {
    const end = io + n;
    for (let o = io; o < end; o++, ia += sa, ib += sb) out[o] = g(a[ia]!, b[ib]!) ? 1 : 0;
  });
}
