// The MNIST training step the benches time: the demo's network of `kind` (buildModel), CrossEntropyLoss
// and Adam 1e-3 on one fixed batch of MNIST-shaped inputs, run eagerly or through `sn.compile`.
import * as sn from '@scratchnet/core';
import { Adam, CrossEntropyLoss } from '@scratchnet/layers';
import { buildModel } from '../dist/node/shared/model.js';

/**
 * Builds the step on the current backend. `run()` trains once and returns the loss tensor (the caller
 * reads and disposes it); `fn` is the compiled function when `compiled` (for explain()); `dispose()`
 * frees the model, optimizer, data and compiled program.
 */
export function mnistTrainStep(kind, { compiled = false, batch = 64 } = {}) {
  const model = buildModel(kind, 1);
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: 1e-3 });
  const loss = new CrossEntropyLoss();
  const x = sn.randomUniform([batch, 1, 28, 28], { seed: 99 });
  const y = sn.tensor(Array.from({ length: batch }, (_, i) => i % 10), [batch], 'int32');
  const train = () => sn.tidy(() => {
    const { value, grads } = sn.variableGrads(() => loss.forward(model.forward(x), y), params);
    optimizer.step(grads);
    return value;
  });
  const fn = compiled ? sn.compile(train, { name: `${kind} step` }) : train;
  return {
    run: fn,
    fn,
    dispose: () => {
      if (compiled) fn.dispose();
      optimizer.dispose();
      sn.dispose([...params, x, y]);
    },
  };
}
