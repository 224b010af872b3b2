import {
  ArgumentError, RandomGenerator, ShapeError, add, arange, checkpoint, fmtShape, matmul, randomNormal, reshape, slice, type Tensor,
} from '@scratchnet/core';
import { KVCache } from '../layers/kv-cache.js';
import { ModuleList } from '../layers/containers.js';
import { Embedding } from '../layers/embedding.js';
import { LayerNorm } from '../layers/normalization.js';
import { Dropout } from '../layers/shape-layers.js';
import { TransformerEncoderLayer } from '../layers/transformer.js';
import { Module, registerModule } from '../module.js';
import type { DecodingState, IncrementalDecoder } from '../text/generate.js';

/** Options of {@link GPT}. */
export interface GPTOptions {
  /** The longest sequence it reads (positions are learnt up to this length; default 64). */
  contextLength?: number;
  /** Width of the residual stream (default 128). */
  dModel?: number;
  /** Transformer blocks (default 4). */
  numLayers?: number;
  /** Attention heads per block (default 4). */
  numHeads?: number;
  /** Hidden width of each block's feed-forward part (default 4 × dModel). */
  dimFeedforward?: number;
  /** Dropout after the embeddings and inside each block (default 0.1). */
  dropout?: number;
  /** Seed of the initial weights. */
  seed?: number;
  /**
   * Activation checkpointing of each block while training: only the blocks' inputs are kept for the
   * backward pass, which recomputes the rest (less memory, one more forward pass). Default false.
   */
  checkpoint?: boolean;
}

/**
 * A decoder-only transformer language model (GPT-2's shape, small): token and learnt position
 * embeddings, `numLayers` pre-norm causal transformer blocks (GELU), a final LayerNorm, and an output
 * projection tied to the token embedding (one Variable; it survives save/load and is stepped once).
 * Maps int32 ids [batch, T ≤ contextLength] to logits [batch, T, vocabSize]. Embeddings start as
 * N(0, 0.02) as in GPT-2. Implements {@link IncrementalDecoder}: `generate` feeds it one token at a
 * time against a key/value cache.
 */
export class GPT extends Module<[Tensor], Tensor> implements IncrementalDecoder {
  readonly contextLength: number;
  readonly dModel: number;
  readonly numHeads: number;
  readonly tok_emb: Embedding;
  readonly pos_emb: Embedding;
  readonly drop: Dropout;
  readonly blocks: ModuleList<TransformerEncoderLayer>;
  readonly ln_f: LayerNorm;

  constructor(readonly vocabSize: number, readonly options: GPTOptions = {}) {
    super();
    const { contextLength = 64, dModel = 128, numLayers = 4, numHeads = 4, dropout = 0.1, seed } = options;
    for (const [name, v] of [['vocabSize', vocabSize], ['contextLength', contextLength], ['dModel', dModel], ['numLayers', numLayers], ['numHeads', numHeads]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`GPT: ${name} must be a positive integer, got ${String(v)}`);
    }
    this.contextLength = contextLength;
    this.dModel = dModel;
    this.numHeads = numHeads;
    const gen = seed === undefined ? undefined : new RandomGenerator(seed);
    const childSeed = (): number | undefined => (gen ? Math.floor(gen.uniform(1)[0]! * 2 ** 31) : undefined);
    this.tok_emb = this.addChild('tok_emb', new Embedding(vocabSize, dModel));
    this.pos_emb = this.addChild('pos_emb', new Embedding(contextLength, dModel));
    for (const e of [this.tok_emb, this.pos_emb]) e.weight.assign(randomNormal(e.weight.shape, { mean: 0, std: 0.02, seed: gen }));
    this.drop = this.addChild('drop', new Dropout(dropout, { seed: childSeed() }));
    this.blocks = this.addChild('blocks', new ModuleList(Array.from({ length: numLayers }, () => new TransformerEncoderLayer(dModel, numHeads, {
      dimFeedforward: options.dimFeedforward ?? 4 * dModel, dropout, activation: 'gelu', batchFirst: true, normFirst: true, seed: childSeed(),
    }))));
    this.ln_f = this.addChild('ln_f', new LayerNorm(dModel));
  }

  forward(ids: Tensor): Tensor {
    this.checkIds(ids, 0);
    const t = ids.shape[1]!;
    let x = this.drop.forward(add(this.tok_emb.forward(ids), this.pos_emb.forward(arange(0, t, 1, 'int32'))));
    for (const block of this.blocks) {
      const run = (t: Tensor): Tensor => block.forward(t, { isCausal: true });
      x = this.options.checkpoint && this.training ? checkpoint(run, { params: block.parameters() })(x) : run(x);
    }
    return this.logits(this.ln_f.forward(x));
  }

  /** The output projection, tied to the token embedding. */
  private logits(x: Tensor): Tensor {
    return matmul(x, this.tok_emb.weight, { transposeB: true });
  }

  private checkIds(ids: Tensor, past: number): void {
    if (ids.rank !== 2 || ids.dtype !== 'int32') throw new ShapeError(`GPT: ids must be int32 [batch, length], got ${ids.dtype} ${fmtShape(ids.shape)}`);
    if (past + ids.shape[1]! > this.contextLength) {
      throw new ShapeError(`GPT: ${past > 0 ? `${past} cached + ` : ''}${ids.shape[1]} positions exceed the context length ${this.contextLength}`);
    }
  }

  /**
   * Starts incremental decoding (eval mode, batch 1): each `step(ids [1, n])` runs only the new
   * positions, attending to the keys and values cached for the earlier ones, and returns the logits
   * [1, vocab] after the last new token. Past `contextLength` positions the cache is full: start again.
   */
  beginDecoding(): DecodingState {
    const caches = [...this.blocks].map(() => new KVCache());
    let past = 0;
    return {
      step: (ids: Tensor): Tensor => {
        this.checkIds(ids, past);
        if (ids.shape[0] !== 1) throw new ShapeError(`GPT.beginDecoding: step takes one sequence, ids [1, n], got ${fmtShape(ids.shape)}`);
        const n = ids.shape[1]!;
        let x = add(this.tok_emb.forward(ids), this.pos_emb.forward(arange(past, past + n, 1, 'int32')));
        // Each block attends from the new positions to its cached keys and values and to the new ones up to each query.
        [...this.blocks].forEach((block, i) => {
          x = block.forward(x, { isCausal: true, kvCache: caches[i] });
        });
        past += n;
        const last = slice(this.ln_f.forward(x), [0, n - 1, 0], [1, 1, this.dModel]);
        return reshape(this.logits(last), [1, this.vocabSize]);
      },
      dispose: () => caches.forEach((c) => c.dispose()),
    };
  }

  protected getConfig(): Record<string, unknown> {
    return { vocabSize: this.vocabSize, ...this.options };
  }
}

registerModule('GPT', GPT, (c) => new GPT(c.vocabSize as number, c));
