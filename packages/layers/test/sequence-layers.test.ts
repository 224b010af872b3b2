import {
  add, dispose, memory, mul, randomNormal, setBackend, sum, tidy, variable, variableGrads, type Tensor, type Variable,
} from '@scratchnet/core';
import { reference } from '@scratchnet/core/testing';
import { describe, expect, it } from 'vitest';
import { testBackends } from './backends.js';
import { numericGradient, worstError } from './gradcheck.js';
import type { NDArray } from './ref-types.js';
import { sequenceCases } from './sequence-cases.js';

async function toNd(t: Tensor): Promise<NDArray> {
  return reference.nd(t.shape, await t.data());
}

for (const backend of testBackends()) {
  describe(`sequence layers on backend '${backend}'`, () => {
    sequenceCases.forEach((c, k) => {
      it(`${c.name}: forward matches the float64 reference and gradients match central differences`, async () => {
        await setBackend(backend);
        const before = memory().numTensors;
        const layer = c.make();
        layer?.eval();
        const params: Variable[] = layer?.parameters() ?? [];
        if (!c.keepParams) {
          params.forEach((p, i) => tidy(() => p.assign(add(p, mul(randomNormal(p.shape, { seed: 300 + 10 * k + i }), 0.3)))));
        }
        const xs = c.inputs.map((shape, i) => {
          const x0 = randomNormal(shape, { seed: 100 + 10 * k + i });
          const x = variable(x0);
          x0.dispose();
          return x;
        });
        const xNd = await Promise.all(xs.map(toNd));
        const pNd = await Promise.all(params.map(toNd));
        const want = c.ref(xNd, pNd);
        const y = tidy(() => c.run(layer, xs));
        expect(y.shape).toEqual([...want.shape]);
        const got = await y.data();
        const fwd = worstError(got, want.data, 1e-4, 1e-5);
        expect(fwd.ratio, `forward worst at ${fwd.index}: got ${got[fwd.index]}, want ${want.data[fwd.index]}`).toBeLessThanOrEqual(1);

        const c0 = randomNormal(want.shape, { seed: 200 + k });
        const cNd = await toNd(c0);
        const watched = [...xs, ...params];
        const { value, grads } = variableGrads(() => sum(mul(c.run(layer, xs), c0)), watched);
        const all = [...xNd, ...pNd];
        const flat = (...arrays: NDArray[]): NDArray => c.ref(arrays.slice(0, xs.length), arrays.slice(xs.length));
        const names = [...xs.map((_, i) => `input ${i}`), ...(layer?.namedParameters().map(([n]) => n) ?? [])];
        for (let i = 0; i < watched.length; i++) {
          const g = await grads.get(watched[i]!)!.data();
          const num = numericGradient(flat, all, cNd, i);
          const scale = Math.max(1, ...Array.from(num.data, Math.abs));
          const e = worstError(g, num.data, 2e-3, 2e-4 * scale);
          expect(e.ratio, `gradient of ${names[i]} worst at ${e.index}: got ${g[e.index]}, want ${num.data[e.index]}`).toBeLessThanOrEqual(1);
        }
        dispose([value, grads, y, c0, ...xs]);
        layer?.dispose();
        expect(memory().numTensors).toBe(before);
      });
    });
  });
}
