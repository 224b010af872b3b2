import { createJsBackend } from '@scratchnet/backend-js';
import {
  registerBackend, removeBackend, getBackendName, ArgumentError, DTypeError, ShapeError, dispose, listBackends, memory, moveToBackend, mul, setBackend, tensor, tidy, variable, type Tensor, type Variable,
} from '@scratchnet/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW, type Optimizer, RMSprop, SGD, clipGradNorm, clipGradNormAsync, CosineAnnealingLR, ExponentialLR, StepLR } from './index.js';

// ---------- float64 references of PyTorch's update rules ----------

type Vec = number[];

interface RefOptimizer {
  step(theta: Vec, grad: Vec): Vec;
}

function refSGD(o: { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean }): RefOptimizer {
  let buf: Vec | null = null;
  const mu = o.momentum ?? 0;
  const tau = o.dampening ?? 0;
  const wd = o.weightDecay ?? 0;
  return {
    step(theta, grad) {
      let d = grad.map((g, i) => g + wd * theta[i]!);
      if (mu !== 0) {
        buf = buf === null ? d.slice() : buf.map((b, i) => mu * b + (1 - tau) * d[i]!);
        const b = buf;
        d = o.nesterov ? d.map((x, i) => x + mu * b[i]!) : b.slice();
      }
      return theta.map((t, i) => t - o.lr * d[i]!);
    },
  };
}

function refAdam(o: { lr: number; betas?: [number, number]; eps?: number; weightDecay?: number; decoupled?: boolean; amsgrad?: boolean }): RefOptimizer {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? 0;
  let m: Vec | null = null;
  let v: Vec | null = null;
  let vmax: Vec | null = null;
  let t = 0;
  return {
    step(theta0, grad0) {
      t++;
      const theta = o.decoupled ? theta0.map((x) => x * (1 - o.lr * wd)) : theta0;
      const grad = o.decoupled ? grad0 : grad0.map((g, i) => g + wd * theta0[i]!);
      const mm = (m ??= grad.map(() => 0)).map((x, i) => b1 * x + (1 - b1) * grad[i]!);
      const vv = (v ??= grad.map(() => 0)).map((x, i) => b2 * x + (1 - b2) * grad[i]! ** 2);
      m = mm;
      v = vv;
      let second = vv;
      if (o.amsgrad) {
        vmax = (vmax ?? grad.map(() => 0)).map((x, i) => Math.max(x, vv[i]!));
        second = vmax;
      }
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      return theta.map((x, i) => x - (o.lr / bc1) * (mm[i]! / (Math.sqrt(second[i]!) / Math.sqrt(bc2) + eps)));
    },
  };
}

function refRMSprop(o: { lr: number; alpha?: number; eps?: number; weightDecay?: number; momentum?: number; centered?: boolean }): RefOptimizer {
  const a = o.alpha ?? 0.99;
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? 0;
  const mu = o.momentum ?? 0;
  let s: Vec | null = null;
  let ga: Vec | null = null;
  let buf: Vec | null = null;
  return {
    step(theta, grad0) {
      const g = grad0.map((x, i) => x + wd * theta[i]!);
      const ss = (s ??= g.map(() => 0)).map((x, i) => a * x + (1 - a) * g[i]! ** 2);
      s = ss;
      let variance = ss;
      if (o.centered) {
        const gg = (ga ??= g.map(() => 0)).map((x, i) => a * x + (1 - a) * g[i]!);
        ga = gg;
        variance = ss.map((x, i) => x - gg[i]! ** 2);
      }
      const denom = variance.map((x) => Math.sqrt(x) + eps);
      if (mu > 0) {
        const bb = (buf ??= g.map(() => 0)).map((x, i) => mu * x + g[i]! / denom[i]!);
        buf = bb;
        return theta.map((x, i) => x - o.lr * bb[i]!);
      }
      return theta.map((x, i) => x - (o.lr * g[i]!) / denom[i]!);
    },
  };
}

// ---------- helpers ----------

function values(n: number, seed: number): number[] {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return Math.fround((a / 4294967296) * 4 - 2);
  });
}

const SHAPE = [2, 3];
const THETA0 = values(6, 1);
const GRADS = [2, 3, 4, 5, 6].map((s) => values(6, s * 7));

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function expectClose(actual: readonly number[], expected: readonly number[], what: string, rtol = 2e-5, atol = 1e-6): void {
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`${what}, element ${i}: got ${a}, expected ${e}`);
  });
}

/** Runs `steps` steps of the optimizer (each inside a tidy, like a training loop) and of the reference, comparing after each. */
async function compareWithReference(make: (params: Variable[]) => Optimizer, ref: RefOptimizer, label: string, steps = 5): Promise<void> {
  const p = variable(tensor(THETA0, SHAPE), { name: 'w' });
  const opt = make([p]);
  let theta = THETA0.slice();
  for (let k = 0; k < steps; k++) {
    const g = tensor(GRADS[k]!, SHAPE);
    tidy(() => opt.step(new Map([[p, g]])));
    g.dispose();
    theta = ref.step(theta, GRADS[k]!);
    expectClose(await read(p), theta, `${label}, step ${k + 1}`);
  }
  opt.dispose();
  p.dispose();
}

/** Whether the current backend can be read synchronously (GPU backends cannot). */
function readsSynchronously(): boolean {
  const t = tidy(() => mul(tensor([1], [1]), 2)); // a computed tensor, like the norm
  try {
    t.dataSync();
    return true;
  } catch {
    return false;
  } finally {
    t.dispose();
  }
}

const tracked: { dispose(): void }[] = [];
afterEach(() => {
  for (const t of tracked.splice(0)) t.dispose();
});

for (const backend of listBackends()) {
  describe(`optimizers on '${backend}'`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });

    describe('SGD', () => {
      const variants: [string, ConstructorParameters<typeof SGD>[1]][] = [
        ['plain', { lr: 0.1 }],
        ['weight decay', { lr: 0.1, weightDecay: 0.05 }],
        ['momentum', { lr: 0.05, momentum: 0.9 }],
        ['momentum with dampening and weight decay', { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 }],
        ['nesterov', { lr: 0.05, momentum: 0.9, nesterov: true }],
        ['nesterov with weight decay', { lr: 0.02, momentum: 0.5, nesterov: true, weightDecay: 0.1 }],
      ];
      for (const [label, options] of variants) {
        it(`matches torch.optim.SGD over 5 steps: ${label}`, async () => {
          await compareWithReference((ps) => new SGD(ps, options), refSGD(options), `SGD ${label}`);
        });
      }
      it('rejects bad options', () => {
        const p = variable(tensor(THETA0, SHAPE));
        tracked.push(p);
        expect(() => new SGD([p], {} as { lr: number })).toThrow(/SGD: options.lr is required/);
        expect(() => new SGD([p], { lr: -1 })).toThrow(/SGD: lr must be a finite number ≥ 0, got -1/);
        expect(() => new SGD([p], { lr: NaN })).toThrow(ArgumentError);
        expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum requires momentum > 0 and dampening 0/);
        expect(() => new SGD([p], { lr: 0.1, momentum: -0.5 })).toThrow(/momentum must be a finite number ≥ 0/);
        expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
        expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/appears more than once/);
        const opt = new SGD([p], { lr: 0.1 });
        expect(() => (opt.lr = -0.1)).toThrow(/lr must be/);
      });
    });

    describe('Adam and AdamW', () => {
      const adamVariants: [string, ConstructorParameters<typeof Adam>[1] & object][] = [
        ['defaults with lr 0.01', { lr: 0.01 }],
        ['betas, eps and L2 weight decay', { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 }],
        ['amsgrad', { lr: 0.05, amsgrad: true }],
      ];
      for (const [label, options] of adamVariants) {
        it(`Adam matches torch.optim.Adam over 5 steps: ${label}`, async () => {
          await compareWithReference((ps) => new Adam(ps, options), refAdam({ lr: 1e-3, ...options } as Parameters<typeof refAdam>[0]), `Adam ${label}`);
        });
      }
      it('Adam defaults to lr 1e-3', async () => {
        await compareWithReference((ps) => new Adam(ps), refAdam({ lr: 1e-3 }), 'Adam defaults');
      });
      it('AdamW matches torch.optim.AdamW (decoupled decay, default 0.01)', async () => {
        await compareWithReference((ps) => new AdamW(ps, { lr: 0.05 }), refAdam({ lr: 0.05, weightDecay: 0.01, decoupled: true }), 'AdamW default');
        await compareWithReference((ps) => new AdamW(ps, { lr: 0.1, weightDecay: 0.3, betas: [0.5, 0.9] }), refAdam({ lr: 0.1, weightDecay: 0.3, betas: [0.5, 0.9], decoupled: true }), 'AdamW 0.3');
      });
      it('rejects bad betas and eps', () => {
        const p = variable(tensor(THETA0, SHAPE));
        tracked.push(p);
        expect(() => new Adam([p], { betas: [1, 0.999] })).toThrow(/Adam: betas\[0\] must be a finite number in \[0, 1\), got 1/);
        expect(() => new AdamW([p], { betas: [0.9, -0.1] })).toThrow(/AdamW: betas\[1\]/);
        expect(() => new Adam([p], { betas: [0.9] as unknown as [number, number] })).toThrow(/betas must be a pair/);
        expect(() => new Adam([p], { eps: -1 })).toThrow(/eps must be/);
      });
    });

    describe('RMSprop', () => {
      const variants: [string, ConstructorParameters<typeof RMSprop>[1] & object][] = [
        ['defaults', {}],
        ['centered', { lr: 0.01, centered: true }],
        ['momentum and weight decay', { lr: 0.01, momentum: 0.9, weightDecay: 0.1, alpha: 0.9 }],
        ['centered with momentum', { lr: 0.005, momentum: 0.5, centered: true, eps: 1e-5 }],
      ];
      for (const [label, options] of variants) {
        it(`matches torch.optim.RMSprop over 5 steps: ${label}`, async () => {
          await compareWithReference((ps) => new RMSprop(ps, options), refRMSprop({ lr: 0.01, ...options }), `RMSprop ${label}`);
        });
      }
    });

    const makers: [string, (ps: Variable[]) => Optimizer][] = [
      ['SGD', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })],
      ['Adam', (ps) => new Adam(ps, { lr: 0.01, amsgrad: true })],
      ['AdamW', (ps) => new AdamW(ps, { lr: 0.01 })],
      ['RMSprop', (ps) => new RMSprop(ps, { momentum: 0.5, centered: true })],
    ];

    describe('state, memory and contract', () => {
      for (const [name, make] of makers) {
        it(`${name}: stateDict / loadStateDict round trip continues identically`, async () => {
          const a = variable(tensor(THETA0, SHAPE), { name: 'a' });
          const b = variable(tensor(THETA0.slice(0, 3), [3]), { name: 'b' });
          const optA = make([a, b]);
          const grads = (k: number): Map<Variable, Tensor> => new Map<Variable, Tensor>([[a, tensor(GRADS[k]!, SHAPE)], [b, tensor(GRADS[k]!.slice(0, 3), [3])]]);
          for (let k = 0; k < 2; k++) tidy(() => optA.step(grads(k)));
          optA.lr = optA.lr * 0.5; // the lr travels with the state
          const state = optA.stateDict();
          // A copy of the model and a fresh optimizer restored from the state.
          const a2 = variable(tensor(await read(a), SHAPE));
          const b2 = variable(tensor(await read(b), [3]));
          const optB = make([a2, b2]);
          optB.loadStateDict(state);
          await optB.to(backend); // eager move of the slots (a no-op here: already on this backend)
          expect(optB.lr).toBe(optA.lr);
          expect(optB.stepCount).toBe(2);
          dispose(state.slots); // the optimizer keeps its own references
          for (let k = 2; k < 5; k++) {
            tidy(() => optA.step(grads(k)));
            tidy(() => {
              const g = grads(k);
              optB.step(new Map([[a2, g.get(a)!], [b2, g.get(b)!]]));
            });
          }
          expect(await read(a2)).toEqual(await read(a));
          expect(await read(b2)).toEqual(await read(b));
          optA.dispose();
          optB.dispose();
          dispose([a, b, a2, b2]);
        });

        it(`${name}: no tensors leak over 10 steps once slots exist, and dispose frees the slots`, () => {
          const p = variable(tensor(THETA0, SHAPE));
          const g = tensor(GRADS[0]!, SHAPE);
          const before = memory().numTensors;
          const opt = make([p]);
          tidy(() => opt.step(new Map([[p, g]])));
          const withSlots = memory().numTensors;
          for (let k = 0; k < 10; k++) tidy(() => opt.step(new Map([[p, g]])));
          expect(memory().numTensors).toBe(withSlots);
          opt.dispose();
          expect(memory().numTensors).toBe(before);
          dispose([p, g]);
        });
      }

      it('a gradient for a variable of another model is an ArgumentError naming it; nothing is updated', async () => {
        const p = variable(tensor(THETA0, SHAPE), { name: 'mine' });
        const other = variable(tensor([1, 2], [2]), { name: 'fc.weight' });
        const g = tensor(GRADS[0]!, SHAPE);
        const opt = new SGD([p], { lr: 0.1 });
        expect(() => opt.step(new Map<Variable, Tensor>([[p, g], [other, tensor([1, 1], [2])]]))).toThrow(
          /SGD.step: optimizer given parameters of another model: got a gradient for variable 'fc.weight' \[2\], which is not among its 1 parameters/,
        );
        expect(await read(p)).toEqual(THETA0);
        expect(() => opt.step(new Map([[p, tensor([1, 2], [2])]]))).toThrow(ShapeError);
        expect(() => opt.step(new Map([[p, tensor([1, 2, 3, 4, 5, 6], SHAPE, 'int32')]]))).toThrow(DTypeError);
        dispose([p, other, g]);
      });

      it('parameters missing from the map are skipped, and their own step count drives bias correction (as torch)', async () => {
        const a = variable(tensor(THETA0, SHAPE));
        const b = variable(tensor(THETA0, SHAPE));
        const opt = new Adam([a, b], { lr: 0.1 });
        const refA = refAdam({ lr: 0.1 });
        const refB = refAdam({ lr: 0.1 });
        let ta = THETA0.slice();
        let tb = THETA0.slice();
        for (let k = 0; k < 4; k++) {
          const ga = tensor(GRADS[k]!, SHAPE);
          const gb = tensor(GRADS[4 - k]!, SHAPE);
          const map = new Map([[a, ga]]);
          if (k >= 2) map.set(b, gb); // b joins at the third step
          tidy(() => opt.step(map));
          ta = refA.step(ta, GRADS[k]!);
          if (k >= 2) tb = refB.step(tb, GRADS[4 - k]!);
          dispose([ga, gb]);
        }
        expectClose(await read(a), ta, 'a');
        expectClose(await read(b), tb, 'b');
        expect(opt.stateDict().paramSteps).toEqual([4, 2]);
        opt.dispose();
        dispose([a, b]);
      });

      it('loadStateDict rejects mismatched state with a clear error and changes nothing', () => {
        const p = variable(tensor(THETA0, SHAPE));
        const q = variable(tensor([1, 2], [2]));
        tracked.push(p, q);
        const adam = new Adam([p], { lr: 0.01 });
        const state = adam.stateDict();
        expect(() => new SGD([p], { lr: 0.1, momentum: 0.9 }).loadStateDict(state)).toThrow(/state was saved by Adam, not SGD/);
        expect(() => new Adam([q], { lr: 0.01 }).loadStateDict(state)).toThrow(/slot 'expAvg'\[0\] has shape \[2,3\], parameter 0 \[2\] needs \[2\]/);
        expect(() => new Adam([p, q]).loadStateDict(state)).toThrow(/slot 'expAvg' has 1 tensors, this optimizer has 2 parameters/);
        expect(() => new Adam([p], { amsgrad: true }).loadStateDict(state)).toThrow(/hyperparameters differ \(amsgrad: saved false, this optimizer true\)/);
        expect(() => new Adam([p], { lr: 0.01 }).loadStateDict({ ...state, slots: { expAvg: state.slots.expAvg! } })).toThrow(/missing: expAvgSq/);
        dispose(state.slots);
        adam.dispose();
      });
    });

    describe('clipGradNorm', () => {
      it('scales by maxNorm / (norm + 1e-6) when over the limit, leaves the input alone', async () => {
        const a = variable(tensor([3, 0], [2]));
        const b = variable(tensor([0, 4, 0], [3]));
        const ga = tensor([3, 0], [2]);
        const gb = tensor([0, -4, 12], [3]); // total norm 13
        const grads = new Map<Variable, Tensor>([[a, ga], [b, gb]]);
        const before = memory().numTensors;
        const r = clipGradNorm(grads, 6.5);
        expect((await read(r.totalNormTensor))[0]).toBeCloseTo(13, 5);
        if (readsSynchronously()) expect(r.totalNorm).toBeCloseTo(13, 5);
        else expect(() => r.totalNorm).toThrow(/use `await result.totalNormTensor.data\(\)` or clipGradNormAsync/);
        const coef = 6.5 / (13 + 1e-6);
        expectClose(await read(r.grads.get(a)!), [3 * coef, 0], 'a');
        expectClose(await read(r.grads.get(b)!), [0, -4 * coef, 12 * coef], 'b');
        expect(r.grads).not.toBe(grads);
        expect(grads.get(a)).toBe(ga);
        expect(await read(gb)).toEqual([0, -4, 12]);
        // Owned by the caller: the grads and the norm tensor, nothing else.
        expect(memory().numTensors).toBe(before + 3);
        dispose([r.grads, r.totalNormTensor]);
        const under = clipGradNorm(grads, 100);
        expect(await read(under.grads.get(b)!)).toEqual([0, -4, 12]);
        const inf = await clipGradNormAsync(grads, 6, { normType: Infinity });
        expect(inf.totalNorm).toBe(12);
        expectClose(await read(inf.grads.get(b)!), [0, -4 * (6 / (12 + 1e-6)), 12 * (6 / (12 + 1e-6))], 'inf');
        const l1 = await clipGradNormAsync(grads, 100, { normType: 1 });
        expect(l1.totalNorm).toBeCloseTo(19, 4);
        const empty = await clipGradNormAsync(new Map(), 1);
        expect(empty.totalNorm).toBe(0);
        empty.totalNormTensor.dispose();
        expect(() => clipGradNorm(grads, -1)).toThrow(/maxNorm must be a number ≥ 0, got -1/);
        dispose([a, b, ga, gb, under, inf.grads, inf.totalNormTensor, l1]);
      });
    });
  });
}

describe('learning-rate schedules', () => {
  const lrs = (sched: { step(): void; lastLr: number }, n: number): number[] => {
    const out = [sched.lastLr];
    for (let i = 0; i < n; i++) {
      sched.step();
      out.push(sched.lastLr);
    }
    return out;
  };
  const withOptimizer = (lr: number): SGD => {
    const p = variable(tensor([1], [1]));
    tracked.push(p);
    return new SGD([p], { lr });
  };

  it('StepLR multiplies by gamma every stepSize epochs', () => {
    const opt = withOptimizer(0.1);
    const seq = lrs(new StepLR(opt, { stepSize: 2, gamma: 0.5 }), 6);
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125].forEach((e, i) => expect(seq[i]).toBeCloseTo(e, 12));
    expect(opt.lr).toBeCloseTo(0.0125, 12);
    expect(lrs(new StepLR(withOptimizer(1), { stepSize: 3 }), 4).map((x) => +x.toPrecision(12))).toEqual([1, 1, 1, 0.1, 0.1]);
  });

  it('ExponentialLR multiplies by gamma every epoch', () => {
    const seq = lrs(new ExponentialLR(withOptimizer(0.2), { gamma: 0.9 }), 4);
    [0.2, 0.18, 0.162, 0.1458, 0.13122].forEach((e, i) => expect(seq[i]).toBeCloseTo(e, 12));
  });

  it('CosineAnnealingLR follows the half cosine from the base lr to etaMin (torch values)', () => {
    const seq = lrs(new CosineAnnealingLR(withOptimizer(0.1), { tMax: 4, etaMin: 0.01 }), 6);
    // torch.optim.lr_scheduler.CosineAnnealingLR(SGD(lr=0.1), T_max=4, eta_min=0.01)
    [0.1, 0.086819805153394, 0.055, 0.023180194846605, 0.01, 0.023180194846605, 0.055].forEach((e, i) => expect(seq[i]).toBeCloseTo(e, 12));
  });

  it('a schedule saves and restores its position', () => {
    const a = new StepLR(withOptimizer(0.1), { stepSize: 1, gamma: 0.5 });
    lrs(a, 3);
    const opt = withOptimizer(0.1);
    const b = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    b.loadStateDict(a.stateDict());
    expect(opt.lr).toBeCloseTo(0.0125, 12);
    a.step();
    b.step();
    expect(b.lastLr).toBe(a.lastLr);
    expect(() => b.loadStateDict({ ...a.stateDict(), className: 'ExponentialLR' })).toThrow(/saved by ExponentialLR, not StepLR/);
  });

  it('rejects bad options', () => {
    const opt = withOptimizer(0.1);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/StepLR: stepSize must be a positive integer, got 0/);
    expect(() => new ExponentialLR(opt, { gamma: -1 })).toThrow(/ExponentialLR: gamma must be/);
    expect(() => new CosineAnnealingLR(opt, { tMax: 2.5 })).toThrow(/tMax must be a positive integer/);
    expect(() => new StepLR({ lr: 1 } as unknown as SGD, { stepSize: 1 })).toThrow(/optimizer must be an Optimizer/);
  });
});

describe('optimizer state across a backend switch', () => {
  it('training continues identically after setBackend, with the slots moved eagerly by to()', async () => {
    const first = listBackends()[0]!;
    registerBackend('js-second', () => createJsBackend(), { priority: -1 });
    try {
      await setBackend(first);
      const run = async (switchAt: number | null): Promise<number[]> => {
        const p = variable(tensor(THETA0, SHAPE), { name: 'w' });
        const opt = new Adam([p], { lr: 0.05, weightDecay: 0.01 });
        for (let k = 0; k < 5; k++) {
          if (k === switchAt) {
            await setBackend('js-second');
            await moveToBackend(p, 'js-second');
            await opt.to('js-second');
            expect(memory().backends['js-second']?.buffers).toBeGreaterThanOrEqual(3);
          }
          const g = tensor(GRADS[k]!, SHAPE);
          tidy(() => opt.step(new Map([[p, g]])));
          g.dispose();
        }
        const out = await read(p);
        opt.dispose();
        p.dispose();
        await setBackend(first);
        return out;
      };
      const straight = await run(null);
      const switched = await run(2);
      expect(switched).toEqual(straight);
    } finally {
      if (getBackendName() !== first) await setBackend(first);
      await removeBackend('js-second');
    }
  });
});
