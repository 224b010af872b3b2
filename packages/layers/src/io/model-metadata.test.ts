import '@scratchnet/backend-js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../sequential.js';
import { FileFormatError } from './errors.js';
import { deserializeModel, serializeModel, type ModelMetadata } from './model.js';
import { decodeSafetensors } from './safetensors.js';
import { loadModel, saveModel } from './storage.js';

const META: ModelMetadata = {
  classNames: ['circle', 'square', 'triangle'],
  inputShape: [3, 16, 16],
  preprocessing: { channels: 3, size: 16, fit: 'pad', scale: '0..1' },
  trainedOn: 'shapes/',
};

let dir = '';
const model = new Sequential([new Linear(4, 3, { seed: 1 })]);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-meta-'));
});
afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('model metadata', () => {
  it('round-trips through bytes and through a file', async () => {
    const loaded = await deserializeModel(await serializeModel(model, { metadata: META }));
    expect(loaded.metadata).toEqual(META);
    loaded.model.dispose();
    const path = join(dir, 'm.safetensors');
    await saveModel(model, path, { metadata: META });
    const again = await loadModel(path);
    expect(again.metadata).toEqual(META);
    again.model.dispose();
  });

  it('is absent when none was saved', async () => {
    const loaded = await deserializeModel(await serializeModel(model));
    expect(loaded.metadata).toBeUndefined();
    loaded.model.dispose();
  });

  it('is covered by the checksum', async () => {
    const bytes = await serializeModel(model, { metadata: META });
    const text = new TextDecoder('latin1').decode(bytes);
    const at = text.indexOf('triangle');
    expect(at).toBeGreaterThan(0);
    const tampered = bytes.slice();
    tampered[at] = 'T'.charCodeAt(0);
    expect(decodeSafetensors(tampered).metadata?.user).toContain('Triangle');
    await expect(deserializeModel(tampered)).rejects.toMatchObject({ code: 'checksum-mismatch' });
  });

  it('must be a JSON object with string class names and a positive input shape', async () => {
    await expect(serializeModel(model, { metadata: { classNames: [1, 2] as unknown as string[] } })).rejects.toThrow('serializeModel: options.metadata.classNames must be an array of strings');
    await expect(serializeModel(model, { metadata: { inputShape: [3, 0] } })).rejects.toThrow('serializeModel: options.metadata.inputShape must be an array of positive integers, got [3,0]');
    const circular: ModelMetadata = {};
    circular.self = circular;
    await expect(serializeModel(model, { metadata: circular })).rejects.toThrow('serializeModel: options.metadata cannot be written as JSON');
    await expect(serializeModel(model, { metadata: [] as unknown as ModelMetadata })).rejects.toThrow('must be a plain object, got an array');
  });

  it('a failed save (bad metadata) leaves the previous file as it was', async () => {
    const path = join(dir, 'keep.safetensors');
    await saveModel(model, path, { metadata: META });
    const before = await readFile(path);
    await expect(saveModel(model, path, { metadata: { inputShape: [-1] } })).rejects.toThrow('inputShape');
    expect(await readFile(path)).toEqual(before);
    const loaded = await loadModel(path);
    expect(loaded.metadata).toEqual(META);
    loaded.model.dispose();
  });

  it('a text file given as a model is "not a safetensors file"', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'These are my notes about the model.\nNothing else.\n');
    const err = await loadModel(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as FileFormatError).message).toBe(
      `${path}: not a safetensors file: a safetensors file starts with an 8-byte header length and then a JSON header beginning with '{'; it looks like text ("These are my notes about the mod…")`,
    );
    await writeFile(path, 'hello\n');
    expect(((await loadModel(path).catch((e: unknown) => e)) as Error).message).toBe(
      `${path}: not a safetensors file: a safetensors file starts with an 8-byte header length and then a JSON header beginning with '{'; it looks like text ("hello")`,
    );
  });
});
