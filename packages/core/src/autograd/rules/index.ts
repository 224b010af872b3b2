import type { Tensor } from '../../tensor.js';
import type { GradOp, GradRule, TapeNode } from '../grad-attrs.js';
import { binaryRules } from './binary.js';
import { indexingRules } from './indexing.js';
import { convTransposeRules } from './conv-transpose.js';
import { linalgRules } from './linalg.js';
import { reduceRules } from './reduce.js';
import { shapeRules } from './shape.js';
import { unaryRules } from './unary.js';
import { softmaxRules } from './softmax.js';
import { layerNormRules } from './layer-norm.js';

/**
 * The gradient rule of every op the tape can record, keyed by op name (null: no gradient flows).
 * The type makes a missing rule a compile error: adding an op to UnaryOp / BinaryOp / ReduceOp or
 * to GradAttrs without a rule here does not build.
 */
export const GRAD_RULES: { readonly [K in GradOp]: GradRule<K> | null } = {
  ...unaryRules,
  ...binaryRules,
  ...reduceRules,
  ...shapeRules,
  ...linalgRules,
  // The checkpoint op carries its own backward pass (it recomputes the function it wraps).
  checkpoint: (dy, node) => node.attrs.backward(dy),
  ...indexingRules,
  ...convTransposeRules,
  ...softmaxRules,
  ...layerNormRules,
};

/**
 * Runs the rule of a recorded node on its output's cotangent (no rule: no input gets a gradient);
 * `needs[i]` says whether input i wants one (rules skip the others' work).
 */
export function backward(node: TapeNode, dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
  // node.op and node.attrs belong together (recordOp's signature guarantees it), which the table's
  // per-key function types cannot see through a union; the rule for node.op takes node as it is.
  const rule = GRAD_RULES[node.op] as GradRule<GradOp> | null;
  return rule ? rule(dy, node, needs) : [];
}
