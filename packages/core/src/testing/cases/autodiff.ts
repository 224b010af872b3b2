import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import type { NDArray } from '../reference/ndarray.js';
import { ensure, ensureClose, valuesOf } from './check.js';
import { f32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

export const autodiffCases: ConformanceCase[] = [
  {
    kind: 'property', op: 'valueAndGrad', name: 'value and gradient of Σx²', checksGradient: true,
    check: async (rng) => {
      const xv = Array.from({ length: 15 }, () => Math.fround(rng.normal()));
      const x = sn.tensor(Float32Array.from(xv), [3, 5]);
      const { value, grads } = sn.valueAndGrad((t) => sn.sum(sn.square(t)))(x);
      const [v] = await valuesOf(value);
      const want = xv.reduce((a, b) => a + b * b, 0);
      ensure(Math.abs(v! - want) <= 1e-5 * Math.max(1, want), `valueAndGrad: value ${v}, expected ${want}`);
      ensure(grads.length === 1, `valueAndGrad: ${grads.length} gradients for 1 input`);
      ensureClose(await valuesOf(grads[0]!), xv.map((a) => 2 * a), 1e-5, 'valueAndGrad: gradient of Σx²');
    },
  },
  {
    kind: 'property', op: 'valueAndGrad', name: 'non-scalar output gets a cotangent of ones', checksGradient: true,
    check: async (rng) => {
      const xv = Array.from({ length: 6 }, () => Math.fround(rng.normal()));
      const x = sn.tensor(Float32Array.from(xv), [2, 3]);
      const { grads } = sn.valueAndGrad((t) => sn.mul(t, 3))(x);
      ensureClose(await valuesOf(grads[0]!), xv.map(() => 3), 1e-6, 'valueAndGrad of 3x (non-scalar)');
    },
  },
  {
    kind: 'property', op: 'variableGrads', name: 'gradients for trainable variables', checksGradient: true,
    check: async (rng) => {
      const cv = Array.from({ length: 6 }, () => Math.fround(rng.normal()));
      const wv = Array.from({ length: 6 }, () => Math.fround(rng.normal()));
      const c = sn.tensor(Float32Array.from(cv), [2, 3]);
      const w = sn.variable(sn.tensor(Float32Array.from(wv), [2, 3]), { name: 'w' });
      try {
        const { value, grads } = sn.variableGrads(() => sn.sum(sn.mul(sn.mul(w, w), c)));
        const want = wv.reduce((a, b, i) => a + b * b * cv[i]!, 0);
        const [v] = await valuesOf(value);
        ensure(Math.abs(v! - want) <= 1e-5 * Math.max(1, Math.abs(want)), `variableGrads: value ${v}, expected ${want}`);
        const g = grads.get(w);
        ensure(g !== undefined, 'variableGrads: no gradient for the variable');
        ensureClose(await valuesOf(g!), wv.map((a, i) => 2 * a * cv[i]!), 1e-5, 'variableGrads: d/dw Σ w²c');
      } finally {
        w.dispose();
      }
    },
  },
  {
    kind: 'property', op: 'grad', name: 'gradients of Σ a·b with respect to each input', checksGradient: true,
    check: async (rng) => {
      const av = Array.from({ length: 6 }, () => Math.fround(rng.normal()));
      const bv = Array.from({ length: 6 }, () => Math.fround(rng.normal()));
      const grads = sn.grad((a, b) => sn.sum(sn.mul(a, b)))(sn.tensor(Float32Array.from(av), [2, 3]), sn.tensor(Float32Array.from(bv), [2, 3]));
      ensure(grads.length === 2, `grad: ${grads.length} gradients for 2 inputs`);
      ensureClose(await valuesOf(grads[0]!), bv, 1e-6, 'grad: d/da Σ a·b');
      ensureClose(await valuesOf(grads[1]!), av, 1e-6, 'grad: d/db Σ a·b');
    },
  },
  {
    kind: 'property', op: 'noGrad', name: 'what runs inside passes no gradient', checksGradient: true,
    check: async (rng) => {
      const xv = Array.from({ length: 5 }, () => Math.fround(rng.normal()));
      const x = sn.tensor(Float32Array.from(xv), [5]);
      // d/dx [x · stop(x)] = stop(x): the product rule's other half is cut by noGrad.
      const [g] = sn.grad((t) => sn.sum(sn.mul(t, sn.noGrad(() => sn.mul(t, 1)))))(x);
      ensureClose(await valuesOf(g!), xv, 1e-6, 'noGrad: d/dx Σ x·noGrad(x)');
      ensure(sn.noGrad(() => 42) === 42, 'noGrad: returns what fn returns');
    },
  },
  {
    kind: 'compare', op: 'clone', name: 'copies values, shape and gradient', grad: true,
    inputs: [f32([3, 4], undefined, 'transposed')],
    run: (x: Tensor) => sn.clone(x), ref: (x: NDArray) => x,
  },
  {
    kind: 'property', op: 'variable', name: 'assign replaces the value and keeps the shape',
    check: async (rng) => {
      const a = Array.from({ length: 4 }, () => Math.fround(rng.normal()));
      const b = Array.from({ length: 4 }, () => Math.fround(rng.normal()));
      const v = sn.variable(sn.tensor(Float32Array.from(a), [2, 2]));
      try {
        ensureClose(await valuesOf(v), a, 0, 'variable: initial value');
        v.assign(sn.tensor(Float32Array.from(b), [2, 2]));
        ensure(v.shape.length === 2 && v.shape[0] === 2 && v.shape[1] === 2, `variable: shape after assign [${v.shape.join(',')}]`);
        ensureClose(await valuesOf(v), b, 0, 'variable: value after assign');
      } finally {
        v.dispose();
      }
    },
  },
  {
    kind: 'property', op: 'checkpoint', name: 'the same gradients as the plain function, dropout masks included', checksGradient: true,
    check: async (rng) => {
      const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
      const x = sn.tensor(values(12), [3, 4]);
      const w = sn.variable(sn.tensor(values(20), [4, 5]), { name: 'w' });
      try {
        const block = (t: Tensor): Tensor => sn.tanh(sn.dropout(sn.matmul(sn.relu(t), w), 0.3, { seed: gen }));
        let gen = new sn.RandomGenerator(11);
        const plain = sn.valueAndGrad((t: Tensor) => sn.sum(sn.square(block(t))))(x);
        gen = new sn.RandomGenerator(11);
        const wPlain = sn.variableGrads(() => sn.sum(sn.square(block(x))), [w]).grads.get(w)!;
        gen = new sn.RandomGenerator(11);
        const cp = sn.checkpoint(block, { params: [w] });
        const checked = sn.valueAndGrad((t: Tensor) => sn.sum(sn.square(cp(t))))(x);
        gen = new sn.RandomGenerator(11);
        const wChecked = sn.variableGrads(() => sn.sum(sn.square(cp(x))), [w]).grads.get(w)!;
        ensureClose(await valuesOf(checked.value), await valuesOf(plain.value), 1e-6, 'checkpoint: value');
        ensureClose(await valuesOf(checked.grads[0]!), await valuesOf(plain.grads[0]!), 1e-6, 'checkpoint: gradient of x');
        ensureClose(await valuesOf(wChecked), await valuesOf(wPlain), 1e-6, 'checkpoint: gradient of the parameter');
        sn.dispose([plain.value, ...plain.grads, checked.value, ...checked.grads, wPlain, wChecked]);
      } finally {
        w.dispose();
        x.dispose();
      }
    },
  },
  {
    kind: 'error', op: 'checkpoint', name: 'fn must return a tensor', error: 'ArgumentError', message: ['fn must return a Tensor'],
    inputs: [f32([2])], run: (x: Tensor) => sn.checkpoint(() => 3 as unknown as Tensor)(x),
  },
];
