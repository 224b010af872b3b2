/** Window geometry for the reference's conv2d and pooling, from the padding rules in core's API. */
export type RefPadding = number | readonly [number, number] | 'same' | 'valid';

export interface AxisGeometry {
  readonly out: number;
  /** Cells added before the input (top or left). */
  readonly before: number;
}

/** One spatial axis: input size, kernel size, stride, dilation, and that axis's padding. */
export function axisGeometry(size: number, kernel: number, stride: number, dilation: number, padding: number | 'same' | 'valid'): AxisGeometry {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + span - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const p = padding === 'valid' ? 0 : padding;
  return { out: Math.floor((size + 2 * p - span) / stride) + 1, before: p };
}

/** Splits a number | pair option into [height, width]. */
export function pair<T>(v: T | readonly [T, T]): [T, T] {
  return Array.isArray(v) ? [v[0] as T, v[1] as T] : [v as T, v as T];
}

/** Per-axis padding of a RefPadding. */
export function paddingPair(p: RefPadding): [number | 'same' | 'valid', number | 'same' | 'valid'] {
  if (p === 'same' || p === 'valid') return [p, p];
  return pair<number>(p);
}
