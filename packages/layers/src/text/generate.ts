import { ArgumentError, RandomGenerator, noGrad, tensor, tidy, type Tensor } from '@scratchnet/core';
import type { Module } from '../module.js';
import { checkSampling, sampleLogits, type SamplingOptions } from './sampling.js';

/**
 * A sequence being decoded with a cache (e.g. a transformer's keys and values): each `step` feeds the
 * new tokens only and returns the logits after the last of them, so a token costs one position.
 */
export interface DecodingState {
  /** Feeds int32 ids [1, n]; returns the logits [1, vocab] after the last one. */
  step(ids: Tensor): Tensor;
  /** Frees the cache. */
  dispose(): void;
}

/** A model that can decode incrementally (see {@link DecodingState}). */
export interface IncrementalDecoder {
  /** Starts an empty sequence. */
  beginDecoding(): DecodingState;
}

/** Options of {@link generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** How many tokens to produce. */
  maxTokens: number;
  /** Seed of the draws: the same seed, model and prompt give the same tokens on every backend. */
  seed?: number | RandomGenerator;
  /** The longest context the model takes: older tokens are dropped from its input (full recompute only). */
  contextLength?: number;
  /** Stop after producing this token id (e.g. the `<eos>` special). */
  stopAt?: number;
  /** Called with each new token id as it is produced. */
  onToken?: (id: number) => void;
}

function isIncremental(m: unknown): m is IncrementalDecoder {
  return typeof (m as Partial<IncrementalDecoder> | null)?.beginDecoding === 'function';
}

async function lastRow(logits: Tensor): Promise<Float32Array> {
  const vocab = logits.shape[logits.rank - 1]!;
  const all = (await logits.data()) as Float32Array;
  return all.subarray(all.length - vocab);
}

/**
 * Continues `prompt` (token ids) by `maxTokens` tokens drawn from `model`'s next-token logits with
 * temperature / top-k / top-p sampling. The model maps int32 ids [1, T] to logits [1, T, vocab]; one
 * that implements {@link IncrementalDecoder} is fed each new token alone (its key/value cache keeps
 * the rest), any other is rerun on the whole (cropped) context for each token. Runs in eval mode
 * without gradients; returns the new ids.
 */
export async function generate(model: Module | IncrementalDecoder, prompt: readonly number[], options: GenerateOptions): Promise<number[]> {
  const { maxTokens, contextLength, stopAt, onToken } = options ?? ({} as GenerateOptions);
  if (!Number.isInteger(maxTokens) || maxTokens < 0) throw new ArgumentError(`generate: maxTokens must be a non-negative integer, got ${String(maxTokens)}`);
  const given: unknown = prompt;
  if (!Array.isArray(given) || prompt.length === 0 || prompt.some((t) => !Number.isInteger(t) || t < 0)) {
    throw new ArgumentError('generate: prompt must be a non-empty array of token ids (start with a special token such as <eos> to generate from nothing)');
  }
  if (contextLength !== undefined && (!Number.isInteger(contextLength) || contextLength < 1)) throw new ArgumentError(`generate: contextLength must be a positive integer, got ${contextLength}`);
  checkSampling(options, 'generate');
  const gen = options.seed instanceof RandomGenerator ? options.seed : new RandomGenerator(options.seed ?? Date.now());
  const uniform = (): number => gen.uniform(1)[0]!;
  const asModule = model as Partial<Module>;
  const wasTraining = asModule.training;
  asModule.eval?.();
  const out: number[] = [];
  const ids = [...prompt];
  const state = isIncremental(model) ? model.beginDecoding() : null;
  try {
    let pending = ids.slice();
    for (let k = 0; k < maxTokens; k++) {
      const logits = noGrad(() => tidy(() => {
        if (state) return state.step(tensor(Int32Array.from(pending), [1, pending.length], 'int32'));
        const ctx = contextLength !== undefined ? ids.slice(-contextLength) : ids;
        return (model as Module).forward(tensor(Int32Array.from(ctx), [1, ctx.length], 'int32'));
      }));
      let row: Float32Array;
      try {
        row = await lastRow(logits);
      } finally {
        logits.dispose();
      }
      const next = sampleLogits(row, options, uniform);
      ids.push(next);
      out.push(next);
      pending = [next];
      onToken?.(next);
      if (next === stopAt) break;
    }
  } finally {
    state?.dispose();
    if (wasTraining) asModule.train?.();
  }
  return out;
}
