import { fromFn, unravel, type NDArray } from './ndarray.js';
import { axisGeometry, pair, paddingPair, type RefPadding } from './window.js';

export interface RefPoolOptions {
  stride?: number | readonly [number, number];
  padding?: RefPadding;
}

/**
 * max / avg pooling of x [N,C,H,W]; stride defaults to the kernel size. Padded cells never win a max,
 * and an average divides by the number of window cells inside the input.
 */
export function refPool2d(kind: 'max' | 'avg', x: NDArray, kernelSize: number | readonly [number, number], opts: RefPoolOptions = {}): NDArray {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [kh, kw] = pair(kernelSize);
  const [sh, sw] = pair(opts.stride ?? kernelSize);
  const [ph, pw] = paddingPair(opts.padding ?? 0);
  const gy = axisGeometry(H, kh, sh, 1, ph);
  const gx = axisGeometry(W, kw, sw, 1, pw);
  const shape = [N, C, gy.out, gx.out];
  return fromFn(shape, 'float32', (flat) => {
    const [n, c, oy, ox] = unravel(flat, shape) as [number, number, number, number];
    let best = -Infinity;
    let sum = 0;
    let count = 0;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - gy.before + ky;
      if (iy < 0 || iy >= H) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw - gx.before + kx;
        if (ix < 0 || ix >= W) continue;
        const v = x.data[((n * C + c) * H + iy) * W + ix]!;
        if (v > best) best = v;
        sum += v;
        count++;
      }
    }
    return kind === 'max' ? best : sum / count;
  });
}
