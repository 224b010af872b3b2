import { ArgumentError, RandomGenerator, add, gelu, relu, tidy, type Tensor } from '@scratchnet/core';
import { Module, moduleFromConfig, registerModule, type AnyModule, type ModuleConfig } from '../module.js';
import { checkPositiveInt, checkRange } from './checks.js';
import { ModuleList } from './containers.js';
import type { KVCache } from './kv-cache.js';
import type { Linear } from './linear.js';
import { MultiheadAttention } from './multihead-attention.js';
import { LayerNorm } from './normalization.js';
import { pytorchLinear } from './pytorch-init.js';
import { Dropout } from './shape-layers.js';

/** Options of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} (PyTorch's defaults). */
export interface TransformerLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** Activation of the feed-forward block (default 'relu'; 'gelu' is the exact erf GELU). */
  activation?: 'relu' | 'gelu';
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are [batch, length, dModel] (default false: [length, batch, dModel]). */
  batchFirst?: boolean;
  /** Pre-norm (LayerNorm before each block) instead of post-norm (default false). */
  normFirst?: boolean;
  /** Biases in the linear layers, attention and LayerNorms (default true). */
  bias?: boolean;
  /** Seed for the initial weights and the dropout masks. */
  seed?: number;
}

/** Options of {@link TransformerEncoderLayer.forward} (PyTorch's names). */
export interface EncoderLayerForwardOptions {
  /** Self-attention mask, as MultiheadAttention's attnMask (bool true = excluded, or float added). */
  srcMask?: Tensor | null;
  /** Key padding of shape [batch, S]; true marks a padding key (a float mask is added instead). */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply a causal mask to self-attention. */
  isCausal?: boolean;
  /** This layer's self-attention cache for incremental decoding (see {@link KVCache}). */
  kvCache?: KVCache;
}

/** Options of {@link TransformerEncoder.forward}: the layer options, with one cache per layer. */
export interface EncoderForwardOptions extends Omit<EncoderLayerForwardOptions, 'kvCache'> {
  /** One {@link KVCache} per layer, for incremental decoding. */
  kvCaches?: readonly KVCache[];
}

/** Options of {@link TransformerDecoderLayer.forward} (PyTorch's names). */
export interface DecoderLayerForwardOptions {
  /** Self-attention mask on the target. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask (target positions × memory positions). */
  memoryMask?: Tensor | null;
  /** Target padding of shape [batch, T]; true marks a padding position. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Memory padding of shape [batch, S]; true marks a padding position. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention on the target. */
  tgtIsCausal?: boolean;
  /** Causal cross-attention. */
  memoryIsCausal?: boolean;
}

interface Resolved {
  dimFeedforward: number;
  dropout: number;
  activation: 'relu' | 'gelu';
  eps: number;
  batchFirst: boolean;
  normFirst: boolean;
  bias: boolean;
  gen: RandomGenerator | undefined;
}

function resolve(layer: string, dModel: number, nhead: number, o: TransformerLayerOptions): Resolved {
  checkPositiveInt(layer, 'dModel', dModel);
  checkPositiveInt(layer, 'nhead', nhead);
  const r: Resolved = {
    dimFeedforward: o.dimFeedforward ?? 2048,
    dropout: o.dropout ?? 0.1,
    activation: o.activation ?? 'relu',
    eps: o.layerNormEps ?? 1e-5,
    batchFirst: o.batchFirst ?? false,
    normFirst: o.normFirst ?? false,
    bias: o.bias ?? true,
    gen: o.seed === undefined ? undefined : new RandomGenerator(o.seed),
  };
  checkPositiveInt(layer, 'dimFeedforward', r.dimFeedforward);
  checkRange(layer, 'dropout', r.dropout, 0, 1);
  checkRange(layer, 'layerNormEps', r.eps, 0, Infinity);
  if (r.activation !== 'relu' && r.activation !== 'gelu') throw new ArgumentError(`${layer}: activation must be 'relu' or 'gelu', got ${String(r.activation)}`);
  return r;
}

/** A seed for a child module drawn from the layer's generator (undefined without a seed). */
function childSeed(gen: RandomGenerator | undefined): number | undefined {
  return gen ? Math.floor(gen.uniform(1)[0]! * 2 ** 31) : undefined;
}

/** The attention, feed-forward and norm children shared by both layers, in PyTorch's names. */
abstract class TransformerLayerBase<In extends unknown[]> extends Module<In, Tensor> {
  readonly self_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  protected readonly r: Resolved;

  protected constructor(layer: string, readonly dModel: number, readonly nhead: number, readonly options: TransformerLayerOptions) {
    super();
    this.r = resolve(layer, dModel, nhead, options);
    const { gen, bias } = this.r;
    const seed = (): number | undefined => childSeed(gen);
    this.self_attn = this.addChild('self_attn', new MultiheadAttention(dModel, nhead, { dropout: this.r.dropout, bias, batchFirst: this.r.batchFirst, seed: seed() }));
    this.crossAttention(seed());
    this.linear1 = this.addChild('linear1', pytorchLinear(dModel, this.r.dimFeedforward, gen, bias));
    this.dropout = this.addChild('dropout', new Dropout(this.r.dropout, { seed: seed() }));
    this.linear2 = this.addChild('linear2', pytorchLinear(this.r.dimFeedforward, dModel, gen, bias));
  }

  /** Registers the decoder's cross-attention between self_attn and linear1, as PyTorch orders them. */
  protected crossAttention(_seed: number | undefined): void {}

  /** A new LayerNorm over dModel with the layer's epsilon and bias setting. */
  protected norm(): LayerNorm {
    return new LayerNorm(this.dModel, { eps: this.r.eps, bias: this.r.bias });
  }

  /** linear2(dropout(activation(linear1(x)))) followed by the `out` dropout. */
  protected feedForward(x: Tensor, out: Dropout): Tensor {
    const h = this.linear1.forward(x);
    return out.forward(this.linear2.forward(this.dropout.forward(this.r.activation === 'gelu' ? gelu(h) : relu(h))));
  }

  protected getConfig(): Record<string, unknown> {
    return { dModel: this.dModel, nhead: this.nhead, ...this.options };
  }
}

/**
 * One encoder block, as PyTorch's nn.TransformerEncoderLayer: self-attention then a feed-forward
 * block (linear1 → activation → dropout → linear2), each with dropout and a residual connection;
 * post-norm x = norm(x + block(x)) by default, pre-norm x = x + block(norm(x)) with `normFirst`.
 * Parameters: self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*.
 */
export class TransformerEncoderLayer extends TransformerLayerBase<[src: Tensor, options?: EncoderLayerForwardOptions]> {
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super('TransformerEncoderLayer', dModel, nhead, options);
    this.norm1 = this.addChild('norm1', this.norm());
    this.norm2 = this.addChild('norm2', this.norm());
    const seed = (): number | undefined => childSeed(this.r.gen);
    this.dropout1 = this.addChild('dropout1', new Dropout(this.r.dropout, { seed: seed() }));
    this.dropout2 = this.addChild('dropout2', new Dropout(this.r.dropout, { seed: seed() }));
  }

  /** src: [S, N, dModel] ([N, S, dModel] with batchFirst, or [S, dModel]); returns the same shape. */
  forward(src: Tensor, options: EncoderLayerForwardOptions = {}): Tensor {
    const sa = (x: Tensor): Tensor => this.dropout1.forward(this.self_attn.forward(x, x, x, {
      attnMask: options.srcMask, keyPaddingMask: options.srcKeyPaddingMask, needWeights: false, isCausal: options.isCausal, kvCache: options.kvCache,
    })[0]);
    let x = src;
    if (this.r.normFirst) {
      x = add(x, sa(this.norm1.forward(x)));
      return add(x, this.feedForward(this.norm2.forward(x), this.dropout2));
    }
    x = this.norm1.forward(add(x, sa(x)));
    return this.norm2.forward(add(x, this.feedForward(x, this.dropout2)));
  }
}

/**
 * One decoder block, as PyTorch's nn.TransformerDecoderLayer: self-attention on the target,
 * cross-attention to the encoder's `memory`, then the feed-forward block, each with dropout, a
 * residual connection and a LayerNorm (post-norm, or pre-norm with `normFirst`).
 * Parameters: self_attn.*, multihead_attn.*, linear1.*, linear2.*, norm1.*, norm2.*, norm3.*.
 */
export class TransformerDecoderLayer extends TransformerLayerBase<[tgt: Tensor, memory: Tensor, options?: DecoderLayerForwardOptions]> {
  declare readonly multihead_attn: MultiheadAttention;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super('TransformerDecoderLayer', dModel, nhead, options);
    this.norm1 = this.addChild('norm1', this.norm());
    this.norm2 = this.addChild('norm2', this.norm());
    this.norm3 = this.addChild('norm3', this.norm());
    const seed = (): number | undefined => childSeed(this.r.gen);
    this.dropout1 = this.addChild('dropout1', new Dropout(this.r.dropout, { seed: seed() }));
    this.dropout2 = this.addChild('dropout2', new Dropout(this.r.dropout, { seed: seed() }));
    this.dropout3 = this.addChild('dropout3', new Dropout(this.r.dropout, { seed: seed() }));
  }

  protected override crossAttention(seed: number | undefined): void {
    const attn = new MultiheadAttention(this.dModel, this.nhead, { dropout: this.r.dropout, bias: this.r.bias, batchFirst: this.r.batchFirst, seed });
    (this as { multihead_attn: MultiheadAttention }).multihead_attn = this.addChild('multihead_attn', attn);
  }

  /** tgt: [T, N, dModel], memory: [S, N, dModel] (batch first with batchFirst); returns tgt's shape. */
  forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    const sa = (x: Tensor): Tensor => this.dropout1.forward(this.self_attn.forward(x, x, x, {
      attnMask: options.tgtMask, keyPaddingMask: options.tgtKeyPaddingMask, needWeights: false, isCausal: options.tgtIsCausal,
    })[0]);
    const ca = (x: Tensor): Tensor => this.dropout2.forward(this.multihead_attn.forward(x, memory, memory, {
      attnMask: options.memoryMask, keyPaddingMask: options.memoryKeyPaddingMask, needWeights: false, isCausal: options.memoryIsCausal,
    })[0]);
    let x = tgt;
    if (this.r.normFirst) {
      x = add(x, sa(this.norm1.forward(x)));
      x = add(x, ca(this.norm2.forward(x)));
      return add(x, this.feedForward(this.norm3.forward(x), this.dropout3));
    }
    x = this.norm1.forward(add(x, sa(x)));
    x = this.norm2.forward(add(x, ca(x)));
    return this.norm3.forward(add(x, this.feedForward(x, this.dropout3)));
  }
}

/** Options of {@link TransformerEncoder} and {@link TransformerDecoder}. */
export interface TransformerEncoderOptions {
  /** A final module applied to the output (PyTorch's `norm`, usually a LayerNorm for pre-norm stacks). */
  norm?: AnyModule | null;
}

/**
 * A stack of `numLayers` encoder layers, as PyTorch's nn.TransformerEncoder: `layers.0` is the
 * layer you pass and `layers.1`... are deep copies of it (the same initial weights, as PyTorch's
 * deepcopy gives); then the optional `norm`. Parameters: layers.i.*, norm.*.
 */
export class TransformerEncoder extends Module<[src: Tensor, options?: EncoderForwardOptions]> {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: Module | null;

  constructor(encoderLayer: TransformerEncoderLayer, readonly numLayers: number, options: TransformerEncoderOptions = {}) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) throw new ArgumentError('TransformerEncoder: encoderLayer must be a TransformerEncoderLayer');
    checkPositiveInt('TransformerEncoder', 'numLayers', numLayers);
    const copies = Array.from({ length: numLayers - 1 }, () => deepCopy(encoderLayer));
    this.layers = this.addChild('layers', new ModuleList([encoderLayer, ...copies]));
    this.norm = options.norm ? this.addChild('norm', options.norm as Module) : null;
  }

  /** Runs every layer with the same masks (and its own cache), then `norm`. */
  forward(src: Tensor, options: EncoderForwardOptions = {}): Tensor {
    const { kvCaches, ...shared } = options;
    if (kvCaches !== undefined && kvCaches.length !== this.numLayers) {
      throw new ArgumentError(`TransformerEncoder: kvCaches must hold one KVCache per layer (${this.numLayers}), got ${kvCaches.length}`);
    }
    let x = src;
    [...this.layers].forEach((layer, i) => { x = layer.forward(x, { ...shared, kvCache: kvCaches?.[i] }); });
    return this.norm ? this.norm.forward(x) : x;
  }

  protected getConfig(): Record<string, unknown> {
    return { encoderLayer: this.layers.get(0).toConfig(), numLayers: this.numLayers, norm: this.norm?.toConfig() ?? null };
  }
}

/**
 * A stack of `numLayers` decoder layers, as PyTorch's nn.TransformerDecoder: `layers.0` is the
 * layer you pass, `layers.1`... copies of it; then the optional `norm`. Every layer attends to the
 * same `memory` with the same masks. Parameters: layers.i.*, norm.*.
 */
export class TransformerDecoder extends Module<[tgt: Tensor, memory: Tensor, options?: DecoderLayerForwardOptions]> {
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: Module | null;

  constructor(decoderLayer: TransformerDecoderLayer, readonly numLayers: number, options: TransformerEncoderOptions = {}) {
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer)) throw new ArgumentError('TransformerDecoder: decoderLayer must be a TransformerDecoderLayer');
    checkPositiveInt('TransformerDecoder', 'numLayers', numLayers);
    const copies = Array.from({ length: numLayers - 1 }, () => deepCopy(decoderLayer));
    this.layers = this.addChild('layers', new ModuleList([decoderLayer, ...copies]));
    this.norm = options.norm ? this.addChild('norm', options.norm as Module) : null;
  }

  /** Runs every layer on the target with the same memory and masks, then `norm`. */
  forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, options);
    return this.norm ? this.norm.forward(x) : x;
  }

  protected getConfig(): Record<string, unknown> {
    return { decoderLayer: this.layers.get(0).toConfig(), numLayers: this.numLayers, norm: this.norm?.toConfig() ?? null };
  }
}

/** A new module of the same class and configuration with copies of the weights and the same mode. */
export function deepCopy<M extends AnyModule>(module: M): M {
  const copy = moduleFromConfig(module.toConfig()) as AnyModule as M;
  tidy(() => copy.loadStateDict(module.stateDict()));
  copy.train(module.training);
  return copy;
}

registerModule('TransformerEncoderLayer', TransformerEncoderLayer, (c) => new TransformerEncoderLayer(c.dModel as number, c.nhead as number, c));
registerModule('TransformerDecoderLayer', TransformerDecoderLayer, (c) => new TransformerDecoderLayer(c.dModel as number, c.nhead as number, c));
registerModule('TransformerEncoder', TransformerEncoder, (c) => {
  const layer = moduleFromConfig(c.encoderLayer as ModuleConfig) as AnyModule;
  if (!(layer instanceof TransformerEncoderLayer)) throw new ArgumentError('TransformerEncoder: config.encoderLayer must describe a TransformerEncoderLayer');
  return new TransformerEncoder(layer, c.numLayers as number, { norm: c.norm ? moduleFromConfig(c.norm as ModuleConfig) : null });
});
registerModule('TransformerDecoder', TransformerDecoder, (c) => {
  const layer = moduleFromConfig(c.decoderLayer as ModuleConfig) as AnyModule;
  if (!(layer instanceof TransformerDecoderLayer)) throw new ArgumentError('TransformerDecoder: config.decoderLayer must describe a TransformerDecoderLayer');
  return new TransformerDecoder(layer, c.numLayers as number, { norm: c.norm ? moduleFromConfig(c.norm as ModuleConfig) : null });
});
