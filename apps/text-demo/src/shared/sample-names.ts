/** Inventing names with a trained model: shared by the CLI and the web page. */
import { GPT, generate, type LSTMLanguageModel, type SamplingOptions, type Tokenizer } from '@scratchnet/layers';
import type { RandomGenerator } from '@scratchnet/core';
import { EOS } from './names.js';

/** A drawn name and whether the training list has it. */
export interface InventedName {
  name: string;
  /** True when the name is not in the training list (the model made it up). */
  novel: boolean;
}

/** Options of {@link inventNames}. */
export interface InventOptions extends SamplingOptions {
  /** Names to draw. */
  count: number;
  /** The beginning every name starts with ('' for none). */
  prompt: string;
  /** Tokens to draw per name at most (default 16; a GPT draws no more than its context leaves after the prompt). */
  maxTokens?: number;
  /** The draws' random stream (pass one generator to get the same names on every backend). */
  seed: RandomGenerator;
}

/**
 * Draws `count` names, each `<eos> prompt …` continued until the model emits `<eos>`. A draw that
 * ends at once (an empty name) is drawn again, up to 5 × count draws in all.
 */
export async function inventNames(
  model: GPT | LSTMLanguageModel, tokenizer: Tokenizer, known: ReadonlySet<string>, o: InventOptions,
): Promise<InventedName[]> {
  const eos = tokenizer.specialId(EOS);
  if (eos === undefined) throw new Error(`inventNames: the tokenizer has no ${EOS} token, so it was not trained on names`);
  const prompt = [eos, ...tokenizer.encode(o.prompt)];
  const wanted = o.maxTokens ?? 16;
  const maxTokens = Math.max(1, model instanceof GPT ? Math.min(wanted, model.contextLength - prompt.length) : wanted);
  const sampling = { temperature: o.temperature, topK: o.topK, topP: o.topP, seed: o.seed, maxTokens, stopAt: eos };
  const out: InventedName[] = [];
  for (let tries = 0; out.length < o.count && tries < 5 * o.count; tries++) {
    const ids = await generate(model, prompt, sampling);
    const name = o.prompt + tokenizer.decode(ids.filter((t) => t !== eos));
    if (name === '') continue;
    out.push({ name, novel: !known.has(name) });
  }
  return out;
}
