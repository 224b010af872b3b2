import { fromFn, unravel, type NDArray } from './ndarray.js';
import { axisGeometry, pair, paddingPair, type RefPadding } from './window.js';

export interface RefConvOptions {
  stride?: number | readonly [number, number];
  padding?: RefPadding;
  dilation?: number | readonly [number, number];
  groups?: number;
}

/** conv2d (cross-correlation) of x [N,C,H,W] with w [O, C/groups, kh, kw] → [N, O, outH, outW], zero padding. */
export function refConv2d(x: NDArray, w: NDArray, opts: RefConvOptions = {}): NDArray {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, KH, KW] = w.shape as [number, number, number, number];
  const [sh, sw] = pair(opts.stride ?? 1);
  const [dh, dw] = pair(opts.dilation ?? 1);
  const groups = opts.groups ?? 1;
  const [ph, pw] = paddingPair(opts.padding ?? 0);
  if (Cg * groups !== C || O % groups !== 0) throw new Error('reference conv2d: channels do not fit groups');
  const gy = axisGeometry(H, KH, sh, dh, ph);
  const gx = axisGeometry(W, KW, sw, dw, pw);
  const outPerGroup = O / groups;
  const shape = [N, O, gy.out, gx.out];
  return fromFn(shape, 'float32', (flat) => {
    const [n, o, oy, ox] = unravel(flat, shape) as [number, number, number, number];
    const g = Math.floor(o / outPerGroup);
    let s = 0;
    for (let c = 0; c < Cg; c++) {
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * sh - gy.before + ky * dh;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * sw - gx.before + kx * dw;
          if (ix < 0 || ix >= W) continue;
          const xv = x.data[((n * C + g * Cg + c) * H + iy) * W + ix]!;
          const wv = w.data[((o * Cg + c) * KH + ky) * KW + kx]!;
          s += xv * wv;
        }
      }
    }
    return s;
  });
}
