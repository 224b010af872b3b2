import { CharTokenizer, shuffledIndices, type Tokenizer } from '@scratchnet/layers';

/** The boundary token between names (makemore's '.'): a name is <eos> c₁ c₂ … cₙ, the next begins with <eos>. */
export const EOS = '<eos>';

/** A character tokenizer over the names' letters plus <eos> (id 0). */
export function namesTokenizer(names: readonly string[]): Tokenizer {
  return CharTokenizer.train(names, { specials: [EOS] });
}

/** One token stream of all names in a seeded order, each preceded by <eos>, ending with <eos>. */
export function namesStream(names: readonly string[], tokenizer: Tokenizer, seed: number): number[] {
  const eos = tokenizer.specialId(EOS)!;
  const ids: number[] = [];
  for (const i of shuffledIndices(names.length, seed)) ids.push(eos, ...tokenizer.encode(names[i]!));
  ids.push(eos);
  return ids;
}

/** Entropy (nats per token) of the stream's token frequencies: the loss of a model that ignores the context, to beat. */
export function unigramLoss(ids: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / ids.length) * Math.log(c / ids.length);
  return h;
}
