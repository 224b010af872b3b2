import * as sn from '../../index.js';
import { ensure, valuesOf } from './check.js';
import type { ConformanceCase } from './types.js';

/** [name, x shape, window, stride, padding] of max pools over inputs full of ties and NaN. */
const TIED: [string, [number, number, number, number], number, number, number][] = [
  ['2×2 stride 2, wide rows (four windows a step) [2,3,6,21]', [2, 3, 6, 21], 2, 2, 0],
  ['2×2 stride 2 padding 1, wide rows [1,2,7,19]', [1, 2, 7, 19], 2, 2, 1],
  ['3×3 stride 2 padding 1 [1,2,9,17]', [1, 2, 9, 17], 3, 2, 1],
];

/**
 * Max pooling where windows hold equal values and NaN: the output is each window's maximum (NaN when
 * the window has one) and the whole cotangent of a window goes to its first row-major maximum (its
 * first NaN), as PyTorch's max_pool2d. Inputs drawn from {−1, 0, 1, 2, NaN} make ties the rule, not the
 * exception; gradient checks by finite differences cannot see this, so it is checked exactly here.
 */
export const poolTieCases: ConformanceCase[] = TIED.map(([name, shape, k, s, pad]): ConformanceCase => ({
  kind: 'property', op: 'maxPool2d', name: `ties and NaN pick the first maximum: ${name}`, checksGradient: true,
  check: async (rng) => {
    const [N, C, H, W] = shape;
    const choices = [-1, 0, 1, 2, Number.NaN];
    const xv = Array.from({ length: N * C * H * W }, () => choices[rng.int(0, choices.length - 1)]!);
    const OH = Math.floor((H + 2 * pad - k) / s) + 1;
    const OW = Math.floor((W + 2 * pad - k) / s) + 1;
    const dyv = Array.from({ length: N * C * OH * OW }, () => Math.fround(rng.normal()));
    const x = sn.tensor(Float32Array.from(xv), shape);
    const dy = sn.tensor(Float32Array.from(dyv), [N, C, OH, OW]);
    try {
      const y = sn.maxPool2d(x, k, { stride: s, padding: pad });
      const [dx] = sn.grad((t) => sn.sum(sn.mul(sn.maxPool2d(t, k, { stride: s, padding: pad }), dy)))(x);
      const got = await valuesOf(y);
      const gotDx = await valuesOf(dx!);
      const wantDx = new Array<number>(xv.length).fill(0);
      for (let p = 0; p < N * C; p++) {
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++) {
            let best = -Infinity;
            let at = -1;
            for (let i = oh * s - pad; i < oh * s - pad + k; i++) {
              for (let j = ow * s - pad; j < ow * s - pad + k; j++) {
                if (i < 0 || i >= H || j < 0 || j >= W) continue;
                const v = xv[p * H * W + i * W + j]!;
                if (at < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
                  best = v;
                  at = p * H * W + i * W + j;
                }
              }
            }
            const o = p * OH * OW + oh * OW + ow;
            ensure(Object.is(got[o], best) || (got[o] === best), `maxPool2d ${name}: output ${o} is ${got[o]}, expected ${best}`);
            if (at >= 0) wantDx[at]! += dyv[o]!;
          }
        }
      }
      const bad = gotDx.findIndex((v, i) => Math.abs(v - wantDx[i]!) > 1e-6 * Math.max(1, Math.abs(wantDx[i]!)));
      ensure(bad < 0, `maxPool2d ${name}: gradient at ${bad} is ${gotDx[bad]}, expected ${wantDx[bad]} (the window's first maximum takes dy)`);
      sn.dispose([y, dx!]);
    } finally {
      sn.dispose([x, dy]);
    }
  },
}));
