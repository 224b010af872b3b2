import type { Tensor } from '../../index.js';

/** Throws a readable Error when `ok` is false. */
export function ensure(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/** A tensor's values as a plain array. */
export async function valuesOf(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Mean and (population) standard deviation. */
export function stats(values: readonly number[]): { mean: number; std: number; min: number; max: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/** Ensures two arrays are equal element for element (exactly). */
export function ensureSame(a: readonly number[], b: readonly number[], what: string): void {
  ensure(a.length === b.length, `${what}: lengths ${a.length} vs ${b.length}`);
  const i = a.findIndex((v, k) => !Object.is(v, b[k]) && !(v === b[k]));
  ensure(i < 0, `${what}: differ at index ${i}: ${a[i]} vs ${b[i]}`);
}

/** Ensures |a - b| ≤ tol element for element. */
export function ensureClose(a: readonly number[], b: readonly number[], tol: number, what: string): void {
  ensure(a.length === b.length, `${what}: lengths ${a.length} vs ${b.length}`);
  const i = a.findIndex((v, k) => !(Math.abs(v - b[k]!) <= tol * Math.max(1, Math.abs(b[k]!))));
  ensure(i < 0, `${what}: differ at index ${i}: got ${a[i]}, expected ${b[i]}`);
}
