// The GPT every side of the text bench trains: the default `new GPT(vocab, {})` of @scratchnet/layers
// (a 28-character vocabulary as the names corpus gives, context 64, width 128, 4 pre-norm blocks of
// 4-head causal attention and a 512-wide exact-erf GELU feed-forward, LayerNorm eps 1e-5, a final
// LayerNorm, output tied to the token embedding), dropout 0 on every side so all do the same work,
// trained with Adam (lr 1e-3) on batches of 32 windows of 64 tokens with the cross-entropy averaged
// over every position. Peers build the same parameters, in their own layouts, from this shape.

/** The model and batch shape. */
export const GPT_SPEC = Object.freeze({
  vocab: 28, context: 64, dModel: 128, layers: 4, heads: 4, ff: 512, batch: 32, lr: 1e-3, eps: 1e-5,
});

/** Tokens one training step reads: batch × context. */
export const TOKENS_PER_STEP = GPT_SPEC.batch * GPT_SPEC.context;

/** Parameters of the spec's GPT, counted from its shapes (ScratchNet's model reports its own). */
export function gptParameterCount(s = GPT_SPEC) {
  const perBlock = 2 * 2 * s.dModel // two LayerNorms
    + 3 * s.dModel * s.dModel + 3 * s.dModel // query/key/value projection
    + s.dModel * s.dModel + s.dModel // output projection
    + s.dModel * s.ff + s.ff + s.ff * s.dModel + s.dModel; // feed-forward
  return s.vocab * s.dModel + s.context * s.dModel + s.layers * perBlock + 2 * s.dModel;
}

/**
 * A deterministic batch: ids [batch, context] and next-token targets, both as flat int arrays
 * (every side trains on the same numbers).
 */
export function gptBatch(s = GPT_SPEC) {
  const n = s.batch * s.context;
  const ids = new Int32Array(n);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = (i * 7 + Math.floor(i / s.context) * 3) % s.vocab;
    targets[i] = (ids[i] * 5 + 1) % s.vocab;
  }
  return { ids, targets };
}

/** ScratchNet's `GPT` options for the spec's model (with `new GPT(s.vocab, …)`): dropout 0, weights from seed 1. */
export function scratchnetGptOptions(s = GPT_SPEC) {
  return { contextLength: s.context, dModel: s.dModel, numLayers: s.layers, numHeads: s.heads, dimFeedforward: s.ff, dropout: 0, seed: 1 };
}

/** {@link gptBatch} as ScratchNet int32 tensors [batch, context], made with `sn` (the caller's @scratchnet/core). */
export function scratchnetGptBatch(sn, s = GPT_SPEC) {
  const batch = gptBatch(s);
  return {
    ids: sn.tensor(Array.from(batch.ids), [s.batch, s.context], 'int32'),
    targets: sn.tensor(Array.from(batch.targets), [s.batch, s.context], 'int32'),
  };
}
