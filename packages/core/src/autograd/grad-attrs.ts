import type { BinaryOp, Conv2dInfo, ReduceOp, StridedView, UnaryAttrs, UnaryOp } from '../backend/kernel-types.js';
import type { Tensor } from '../tensor.js';

/** An op that records nothing beyond its inputs and output. */
export type NoAttrs = Readonly<Record<string, never>>;

/**
 * What each differentiable op records for its gradient rule, keyed by the op's name. Every op that
 * calls `recordOp` has an entry here, and the rule table in `rules/index.ts` must have a rule (or
 * null, for "no gradient flows") for every key: a missing or extra rule is a compile error.
 * Tensors among the attributes are held alive by the tape until backprop.
 */
export type GradAttrs = { readonly [op in UnaryOp]: UnaryAttrs } & { readonly [op in BinaryOp]: NoAttrs } & {
  readonly [op in ReduceOp]: { readonly axes: readonly number[] };
} & {
  readonly where: { readonly cond: Tensor };
  readonly cast: NoAttrs;
  readonly reshape: NoAttrs;
  readonly broadcastTo: NoAttrs;
  readonly transpose: { readonly perm: readonly number[] };
  readonly slice: { readonly begin: readonly number[] };
  readonly flip: { readonly axes: readonly number[] };
  readonly pad: { readonly paddings: readonly (readonly [number, number])[] };
  readonly concat: { readonly axis: number };
  readonly gather: { readonly indices: Tensor; readonly axis: number };
  /** The scatterAdd kernel as an op (ops/scatter.ts): updates added into zeros at `indices` along `axis`. */
  readonly scatterAdd: { readonly indices: Tensor; readonly axis: number };
  /** A strided copy of x (ops/strided-slice.ts) through `view` (no broadcasting: every element read once at most). */
  readonly stridedSlice: { readonly view: StridedView };
  /** The rank-3 kernel call: a [ba, ·, ·] × b [bb, ·, ·], ba and bb equal or 1. */
  readonly matmul: { readonly transposeA: boolean; readonly transposeB: boolean };
  readonly conv2d: { readonly info: Conv2dInfo };
  readonly maxPool2d: { readonly info: Conv2dInfo };
  readonly avgPool2d: { readonly info: Conv2dInfo };
  /** A checkpointed function: its rule recomputes the forward pass and backpropagates through it. */
  readonly checkpoint: { readonly backward: (dy: Tensor) => readonly (Tensor | null)[] };
  /** The geometry of the convolution it transposes (see conv2dTransposeInfo). */
  readonly conv2dTranspose: { readonly info: Conv2dInfo };
  /** softmax along `axis` (ops/softmax.ts), differentiated as a whole from its output. */
  readonly softmax: { readonly axis: number };
  /** Layer normalisation without affine (ops/layer-norm.ts) over x's last `trailing` axes. */
  readonly layerNorm: { readonly eps: number; readonly trailing: number };
};

/** The name of an op the tape can record. */
export type GradOp = keyof GradAttrs;

/** One op recorded while gradients were being watched. */
export interface TapeNode<K extends GradOp = GradOp> {
  readonly op: K;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: GradAttrs[K];
}

/**
 * The gradient rule of op K: given the output's cotangent `dy` and the recorded node, the cotangent
 * of each input (null where none flows). `needs[i]` says whether input i wants a gradient at all (it
 * depends on a watched tensor): a rule may skip the work of the others (a constant operand, the data
 * fed to a first layer) and return null there. Rules run with recording paused.
 */
export type GradRule<K extends GradOp> = (dy: Tensor, node: TapeNode<K>, needs: readonly boolean[]) => readonly (Tensor | null)[];
