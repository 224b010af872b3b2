// The training steps the benches time: the demo's MNIST networks (buildModel, batch 64 of fixed
// MNIST-shaped inputs) or the default GPT of @scratchnet/layers (peer-bench's GPT_SPEC, dropout 0,
// batch 32 × 64 tokens), each with CrossEntropyLoss and Adam, run eagerly or through `sn.compile`.
import * as sn from '@scratchnet/core';
import { Adam, CrossEntropyLoss, GPT } from '@scratchnet/layers';
import { GPT_SPEC as S, gptBatch } from '@scratchnet/peer-bench/gpt-spec';
import { buildModel } from '../dist/node/shared/model.js';

/**
 * A model of `kind` ('gpt' or one of buildModel's) with its Adam optimizer and one fixed batch:
 * `step(x, y)` computes the loss and its gradients and applies Adam (no tidy: callers scope it),
 * returning the loss; `x`, `y` are the batch; `dispose()` frees the parameters, optimizer and batch.
 */
export function trainParts(kind, { batch = 64 } = {}) {
  const gpt = kind === 'gpt';
  const model = gpt
    ? new GPT(S.vocab, { contextLength: S.context, dModel: S.dModel, numLayers: S.layers, numHeads: S.heads, dimFeedforward: S.ff, dropout: 0, seed: 1 })
    : buildModel(kind, 1);
  model.train();
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: gpt ? S.lr : 1e-3 });
  const loss = new CrossEntropyLoss();
  let x;
  let y;
  if (gpt) {
    const b = gptBatch();
    x = sn.tensor(Array.from(b.ids), [S.batch, S.context], 'int32');
    y = sn.tensor(Array.from(b.targets), [S.batch * S.context], 'int32');
  } else {
    x = sn.randomUniform([batch, 1, 28, 28], { seed: 99 });
    y = sn.tensor(Array.from({ length: batch }, (_, i) => i % 10), [batch], 'int32');
  }
  const logits = (xb) => (gpt ? model.forward(xb).reshape([S.batch * S.context, S.vocab]) : model.forward(xb));
  const step = (xb, yb) => {
    const { value, grads } = sn.variableGrads(() => loss.forward(logits(xb), yb), params);
    optimizer.step(grads);
    return value;
  };
  return { step, x, y, dispose: () => { optimizer.dispose(); sn.dispose([...params, x, y]); } };
}

/**
 * Builds the MNIST step of `kind` on the current backend. `run()` trains once and returns the loss
 * tensor (the caller reads and disposes it); `fn` is the compiled function when `compiled` (for
 * explain()); `dispose()` frees the model, optimizer, data and compiled program.
 */
export function mnistTrainStep(kind, { compiled = false, batch = 64 } = {}) {
  const parts = trainParts(kind, { batch });
  const train = () => sn.tidy(() => parts.step(parts.x, parts.y));
  const fn = compiled ? sn.compile(train, { name: `${kind} step` }) : train;
  return {
    run: fn,
    fn,
    dispose: () => {
      if (compiled) fn.dispose();
      parts.dispose();
    },
  };
}
