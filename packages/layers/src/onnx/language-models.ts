/**
 * ONNX export of the modules that read integer token ids (issue 13): Embedding → Gather on its
 * weight, GPT (token + position Gathers, causal pre-norm blocks, final LayerNorm, the tied output
 * projection as MatMul with the Transpose of the one token-table initializer) and LSTMLanguageModel
 * (Gather → the recurrent export → Linear). The graph's input is then ids [N, T] (int64 by default);
 * GPT reads T from the ids' shape at run time, so one exported file serves every T ≤ contextLength.
 */
import { ArgumentError } from '@scratchnet/core';
import type { AnyModule } from '../module.js';
import { Embedding } from '../layers/embedding.js';
import { GPT } from '../models/gpt.js';
import { LSTMLanguageModel } from '../models/lstm-language-model.js';
import type { OnnxAttribute } from './onnx-proto.js';
import { emitRecurrent, type RecurrentGraphBuilder } from './recurrent.js';
import { emitEncoderLayer, type SequenceGraphBuilder } from './sequence-export.js';

/** What the exporter's graph builder offers this file. */
export interface LanguageModelGraphBuilder extends SequenceGraphBuilder, RecurrentGraphBuilder {
  /** Adds an int64 initializer of the given values (dims default to [values.length]; [] for a scalar). */
  int64(path: string, values: readonly number[], dims?: readonly number[]): string;
  /** Whether the tensor `name` holds the graph's integer token ids. */
  readsIds(name: string): boolean;
}

/** The module classes this file exports. */
export const LANGUAGE_MODEL_ONNX_MODULES: readonly string[] = ['Embedding', 'GPT', 'LSTMLanguageModel'];

/** Whether `m`, as a model's first layer, makes the graph's input integer ids [N, T]. */
export function readsTokenIds(m: AnyModule | undefined): boolean {
  return m instanceof Embedding || m instanceof GPT || m instanceof LSTMLanguageModel;
}

const AXIS0: OnnxAttribute = { name: 'axis', kind: 'int', value: 0 };

/** Rows `ids` of the table `table` (a weight initializer): Gather along axis 0. */
function lookUp(b: LanguageModelGraphBuilder, m: Embedding, table: string, ids: string, at: string): string {
  if (!b.readsIds(ids)) {
    throw new ArgumentError(`exportOnnx: Embedding at '${at}' reads a float tensor; an exported Embedding must read the graph's integer ids (be the model's first layer)`);
  }
  if (m.options.maxNorm !== undefined) {
    throw new ArgumentError(`exportOnnx: Embedding at '${at}' has maxNorm ${m.options.maxNorm}, which rescales its weight during forward; only an Embedding without maxNorm can be exported`);
  }
  return b.op('Gather', at, [table, ids], [AXIS0]);
}

function embedding(b: LanguageModelGraphBuilder, m: Embedding, ids: string, at: string): string {
  return lookUp(b, m, b.weight(`${at}.weight`, m.weight), ids, at);
}

function gpt(b: LanguageModelGraphBuilder, m: GPT, ids: string, at: string, emitChild: EmitChild): string {
  // One token-table initializer serves the lookup and the tied output projection.
  const table = b.weight(`${at}.tok_emb.weight`, m.tok_emb.weight);
  const tokens = lookUp(b, m.tok_emb, table, ids, `${at}.tok_emb`);
  // Positions 0 … T−1, with T read from the ids' shape when the graph runs.
  const length = b.op('Gather', at, [b.op('Shape', at, [ids]), b.int64(`${at}.time_axis`, [1], [])], [AXIS0]);
  const positions = b.op('Range', at, [b.int64(`${at}.range_start`, [0], []), length, b.int64(`${at}.range_step`, [1], [])]);
  const placed = b.op('Gather', `${at}.pos_emb`, [b.weight(`${at}.pos_emb.weight`, m.pos_emb.weight), positions], [AXIS0]);
  let h = b.op('Add', at, [tokens, placed]);
  // The causal mask, [T, T]: key j is hidden from query i when i < j (shared by every block and head).
  const column = b.op('Reshape', at, [positions, b.int64(`${at}.column_shape`, [-1, 1])]);
  const row = b.op('Reshape', at, [positions, b.int64(`${at}.row_shape`, [1, -1])]);
  const masked = b.op('Less', at, [column, row]);
  [...m.blocks].forEach((block, i) => {
    h = emitEncoderLayer(b, block, h, `${at}.blocks.${i}`, masked);
  });
  h = emitChild(m.ln_f, h, `${at}.ln_f`);
  const tiedT = b.op('Transpose', at, [table], [{ name: 'perm', kind: 'ints', value: [1, 0] }]);
  return b.op('MatMul', at, [h, tiedT]);
}

function lstmLanguageModel(b: LanguageModelGraphBuilder, m: LSTMLanguageModel, ids: string, at: string, emitChild: EmitChild): string {
  // Dropout is the identity at inference.
  const embedded = embedding(b, m.embedding, ids, `${at}.embedding`);
  return emitChild(m.head, emitRecurrent(b, m.lstm, embedded, `${at}.lstm`), `${at}.head`);
}

/** Writes any other module (a Linear, a LayerNorm) with the exporter's walker. */
type EmitChild = (child: AnyModule, input: string, path: string) => string;

/**
 * Emits `m` if it is one of {@link LANGUAGE_MODEL_ONNX_MODULES}; returns its output's name, or null
 * for other modules.
 */
export function emitLanguageModel(b: LanguageModelGraphBuilder, m: AnyModule, x: string, at: string, emitChild: EmitChild): string | null {
  if (m instanceof Embedding) return embedding(b, m, x, at);
  if (m instanceof GPT) return gpt(b, m, x, at, emitChild);
  if (m instanceof LSTMLanguageModel) return lstmLanguageModel(b, m, x, at, emitChild);
  return null;
}
