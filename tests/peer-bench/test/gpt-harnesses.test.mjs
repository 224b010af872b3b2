// The GPT-step harnesses of the text bench: each peer builds the bench GPT with the parameter count
// the spec gives, learns (the loss falls from about ln 28 over three Adam steps on one batch), and
// a peer that cannot train the model as written says which kernel it lacks.
import { describe, expect, it } from 'vitest';
import { gptParameterCount } from '../peers/gpt-spec.mjs';
import { runPeer } from '../run-peer.mjs';

const short = ['--warmup', '1', '--repeats', '2'];
const learns = (losses) => {
  expect(losses).toHaveLength(3);
  expect(losses[0]).toBeCloseTo(Math.log(28), 0);
  expect(losses[2]).toBeLessThan(losses[0] - 0.2);
};

describe('GPT step harnesses', () => {
  it('spec counts the default GPT parameters (vocab 28)', () => {
    // tok 28×128 + pos 64×128 + 4 blocks × (2 LayerNorms, qkv, out, FF 128-512-128) + final LayerNorm
    expect(gptParameterCount()).toBe(805_120);
  });

  it('jax-js trains the GPT under jit on 1 thread', async () => {
    const r = await runPeer('jax-js-gpt', ['--threads', '1', ...short]);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ version: '0.1.25', relaxedSimd: true, threads: 1, parameters: 805_120, tokensPerStep: 2048 });
    learns(r.jitLosses);
  });

  it('tfjs-wasm trains the GPT with a one-hot token embedding', async () => {
    const r = await runPeer('tfjs-gpt', ['--backend', 'wasm', '--onehot-embedding', ...short]);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ simd: true, threads: 1, parameters: 805_120, embedding: 'one-hot matmul' });
    learns(r.losses);
  });

  it('tfjs-wasm cannot take the gradient of tf.gather (no UnsortedSegmentSum kernel)', async () => {
    const r = await runPeer('tfjs-gpt', ['--backend', 'wasm', '--warmup', '0', '--repeats', '1']);
    expect(r.error).toMatch(/UnsortedSegmentSum.*wasm/);
  });
});
