import { fromFn, ravel, unravel, type NDArray } from './ndarray.js';

/** One entry of a reference strided slice: the kept indices of an axis, a new axis, or one index that drops the axis. */
type RefAxis = { kind: 'range'; picks: number[] } | { kind: 'new' } | { kind: 'index'; at: number };

/** Python's `range(d)[begin:end:step]` by enumeration: the indices a slice keeps, in order. */
export function pythonSlice(d: number, begin: number | null, end: number | null, step: number): number[] {
  const norm = (v: number): number => (v < 0 ? v + d : v);
  const picks: number[] = [];
  if (step > 0) {
    const lo = begin === null ? 0 : Math.max(0, norm(begin));
    const hi = end === null ? d : norm(end);
    for (let i = lo; i < Math.min(hi, d); i += step) picks.push(i);
  } else {
    const hi = begin === null ? d - 1 : Math.min(d - 1, norm(begin));
    const lo = end === null ? -1 : Math.max(-1, norm(end));
    for (let i = hi; i > lo; i += step) picks.push(i);
  }
  return picks;
}

/** stridedSlice with TensorFlow's masks, by listing the picked index of every axis and copying element by element. */
export function refStridedSlice(
  x: NDArray, begin: readonly number[], end: readonly number[], strides: readonly number[],
  masks: { begin?: number; end?: number; ellipsis?: number; newAxis?: number; shrink?: number } = {},
): NDArray {
  const has = (mask: number | undefined, i: number): boolean => ((mask ?? 0) & (1 << i)) !== 0;
  const entries: RefAxis[] = [];
  const rank = x.shape.length;
  const used = begin.filter((_, i) => !has(masks.ellipsis, i) && !has(masks.newAxis, i)).length;
  let axis = 0;
  const whole = (): RefAxis => ({ kind: 'range', picks: Array.from({ length: x.shape[axis++]! }, (_, i) => i) });
  begin.forEach((b, i) => {
    if (has(masks.ellipsis, i)) {
      for (let k = 0; k < rank - used; k++) entries.push(whole());
    } else if (has(masks.newAxis, i)) {
      entries.push({ kind: 'new' });
    } else {
      const d = x.shape[axis++]!;
      if (has(masks.shrink, i)) entries.push({ kind: 'index', at: b < 0 ? b + d : b });
      else entries.push({ kind: 'range', picks: pythonSlice(d, has(masks.begin, i) ? null : b, has(masks.end, i) ? null : end[i]!, strides[i]!) });
    }
  });
  while (axis < rank) entries.push(whole());
  const shape = entries.flatMap((e) => (e.kind === 'range' ? [e.picks.length] : e.kind === 'new' ? [1] : []));
  return fromFn(shape, x.dtype, (flat) => {
    const out = unravel(flat, shape);
    const src: number[] = [];
    let o = 0;
    for (const e of entries) {
      if (e.kind === 'new') o++;
      else if (e.kind === 'index') src.push(e.at);
      else src.push(e.picks[out[o++]!]!);
    }
    return x.data[ravel(src, x.shape)]!;
  });
}
