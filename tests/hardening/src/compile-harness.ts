/**
 * What the compile tests that wrap a backend share: binding a backend's methods so a wrapper can spread
 * them and replace a few, and a short Adam + cross-entropy training run taken eagerly or through
 * `sn.compile`, so the two can be compared.
 */
import * as sn from '@scratchnet/core';
import { Adam, CrossEntropyLoss, type Module } from '@scratchnet/layers';

/** Adam's options, as its constructor takes them. */
type AdamOptions = NonNullable<ConstructorParameters<typeof Adam>[1]>;

/** The backend's methods bound to it (so a wrapper backend can spread them and override some). */
export function bindAll(b: sn.Backend): sn.Backend {
  const out: Record<string, unknown> = {};
  let proto: object | null = b;
  while (proto && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const v = (b as unknown as Record<string, unknown>)[key];
      if (typeof v === 'function' && key !== 'constructor' && !(key in out)) out[key] = (v as (...a: unknown[]) => unknown).bind(b);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out as unknown as sn.Backend;
}

/** What a training run leaves: each step's loss, the final weights, and compile's report when compiled. */
export interface TrainRun {
  losses: number[];
  weights: Float32Array[];
  report?: sn.ProgramReport;
}

/**
 * Trains `model` for `steps` Adam steps (options `adam`) on cross-entropy, eagerly or through `sn.compile`,
 * step i on the batch `batch(i)` (disposed after the step); then disposes the optimizer, the model's
 * parameters and the compiled function.
 */
export async function trainRun(
  model: Module,
  adam: AdamOptions,
  compiled: boolean,
  steps: number,
  batch: (i: number) => [x: sn.Tensor, y: sn.Tensor],
): Promise<TrainRun> {
  const opt = new Adam(model.parameters(), adam);
  const loss = new CrossEntropyLoss();
  const step = (x: sn.Tensor, y: sn.Tensor): sn.Tensor => sn.tidy(() => {
    const { value, grads } = sn.variableGrads(() => loss.forward(model.forward(x), y), model.parameters());
    opt.step(grads);
    return value;
  });
  const cf = compiled ? sn.compile(step) : undefined;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [x, y] = batch(i);
    const l = (cf ?? step)(x, y);
    losses.push((await l.data())[0]!);
    sn.dispose([l, x, y]);
  }
  const weights = await Promise.all(model.parameters().map(async (p) => (await p.data()) as Float32Array));
  const report = cf?.reports()[0];
  cf?.dispose();
  opt.dispose();
  sn.dispose(model.parameters());
  return { losses, weights, ...(report ? { report } : {}) };
}
