/**
 * ScratchNet's model artifact: one safetensors file. The tensors are the model's state dict
 * (parameters and buffers by dotted name) and, optionally, an optimizer's slots under
 * `optimizer/<slot>/<index>`. `__metadata__` holds `format: 'scratchnet-model'`, `version: '1'`,
 * `architecture` (JSON of `model.toConfig()`), optionally `optimizer` (JSON of its class name,
 * config, step, per-parameter steps and slot sizes), optionally `user` (JSON of the caller's
 * {@link ModelMetadata}: class names, input shape, preprocessing...), and `checksum` —
 * `crc32:<8 hex digits>` over the data section followed by the UTF-8 of `architecture`, of
 * `optimizer` and of `user` — so damage inside the weights or the metadata is detected on load.
 */
import { ArgumentError, Tensor, decodeFloat16, encodeFloat16, tensor, type DType } from '@scratchnet/core';
import { Module, moduleFromConfig, type AnyModule, type ModuleConfig } from '../module.js';
import { crc32, crc32Hex } from './crc32.js';
import { FileFormatError } from './errors.js';
import {
  assembleSafetensors,
  decodeSafetensors,
  planSafetensors,
  type SafetensorsDType,
  type SafetensorsFile,
  type SafetensorsTensor,
} from './safetensors.js';

/** The `format` metadata value that marks a ScratchNet model file. */
export const MODEL_FORMAT = 'scratchnet-model';
/** The model-file format version this code writes and reads. */
export const MODEL_FORMAT_VERSION = '1';
/** Prefix of the tensor names that hold optimizer slots: `optimizer/<slot>/<index>`. */
export const OPTIMIZER_PREFIX = 'optimizer/';

/**
 * An optimizer's saved state: what {@link Optimizer.stateDict | optimizer.stateDict()} returns and
 * {@link Optimizer.loadStateDict | optimizer.loadStateDict(state)} accepts. `slots` maps a slot name
 * (e.g. `m`, `v`, `momentum`) to one tensor per parameter.
 */
export interface OptimizerStateLike {
  /** The optimizer's class name, e.g. `'Adam'`. */
  className: string;
  /** Its hyperparameters. */
  config: Record<string, number | boolean>;
  /** How many steps it has taken. */
  step: number;
  /** Per-parameter state tensors by slot name. */
  slots: Record<string, Tensor[]>;
  /** Per-parameter update counts, when they differ from `step` (saved and restored as given). */
  paramSteps?: number[];
}

/**
 * What a model file says about itself, for whoever loads it: any JSON object. The fields below
 * are the ones ScratchNet's own tools write and check; add your own freely.
 */
export interface ModelMetadata {
  /** Class names in label order (`classNames[i]` is label `i`). */
  classNames?: string[];
  /** The shape of one input sample, e.g. `[1, 28, 28]` (channels, height, width). */
  inputShape?: number[];
  /** How raw data becomes an input, e.g. `{ channels: 3, size: 64, fit: 'pad', scale: '0..1' }`. */
  preprocessing?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Options of {@link serializeModel} and {@link saveModel}. */
export interface SerializeModelOptions {
  /** Optimizer state to store next to the weights, so that training can resume. */
  optimizer?: OptimizerStateLike;
  /** Metadata to store with the model (must survive `JSON.stringify`); {@link loadModel} returns it. */
  metadata?: ModelMetadata;
}

/** Options of {@link deserializeModel}. */
export interface DeserializeModelOptions {
  /** Names the bytes in error messages (a path, a URL); `'model bytes'` by default. */
  source?: string;
}

/** What {@link deserializeModel} and {@link loadModel} return. */
export interface LoadedModel {
  /** The rebuilt module, its weights on the current backend. */
  model: Module;
  /** The optimizer state saved with it, if any; its tensors are the caller's to dispose. */
  optimizerState?: OptimizerStateLike;
  /** The metadata saved with it (see {@link ModelMetadata}), if any. */
  metadata?: ModelMetadata;
}

const TO_FILE_DTYPE: Record<DType, SafetensorsDType> = { float32: 'F32', float16: 'F16', int32: 'I32', bool: 'BOOL' };
const FROM_FILE_DTYPE: Partial<Record<SafetensorsDType, DType>> = { F32: 'float32', F16: 'float16', I32: 'int32', BOOL: 'bool', U8: 'bool' };

interface OptimizerHeader {
  className: string;
  config: Record<string, number | boolean>;
  step: number;
  slots: Record<string, number>;
  paramSteps?: number[];
}

function checksumOf(data: Uint8Array, architecture: string, optimizer: string | undefined, user: string | undefined): string {
  const enc = new TextEncoder();
  let crc = crc32(data);
  crc = crc32(enc.encode(architecture), crc);
  if (optimizer !== undefined) crc = crc32(enc.encode(optimizer), crc);
  if (user !== undefined) crc = crc32(enc.encode(user), crc);
  return `crc32:${crc32Hex(crc)}`;
}

async function toEntry(t: Tensor): Promise<SafetensorsTensor> {
  const values = await t.data();
  // float16 reads back as numbers; the file holds its binary16 bits.
  return { dtype: TO_FILE_DTYPE[t.dtype], shape: [...t.shape], data: t.dtype === 'float16' ? encodeFloat16(values) : values };
}

function checkOptimizerState(state: OptimizerStateLike): void {
  const where = 'serializeModel: options.optimizer';
  if (typeof state !== 'object' || state === null) throw new ArgumentError(`${where} must be { className, config, step, slots }`);
  if (typeof state.className !== 'string' || state.className === '') throw new ArgumentError(`${where}.className must be a non-empty string`);
  if (typeof state.config !== 'object' || state.config === null) throw new ArgumentError(`${where}.config must be an object`);
  for (const [k, v] of Object.entries(state.config)) {
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new ArgumentError(`${where}.config.${k} must be a number or boolean, got ${typeof v}`);
  }
  if (!Number.isSafeInteger(state.step) || state.step < 0) throw new ArgumentError(`${where}.step must be a non-negative integer, got ${state.step}`);
  if (state.paramSteps !== undefined && (!Array.isArray(state.paramSteps) || state.paramSteps.some((n) => !Number.isSafeInteger(n) || n < 0))) {
    throw new ArgumentError(`${where}.paramSteps must be an array of non-negative integers`);
  }
  if (typeof state.slots !== 'object' || state.slots === null) throw new ArgumentError(`${where}.slots must be an object of tensor arrays`);
  for (const [slot, list] of Object.entries(state.slots)) {
    if (slot === '' || slot.includes('/')) throw new ArgumentError(`${where}.slots: slot name '${slot}' must be non-empty and contain no '/'`);
    if (!Array.isArray(list) || list.some((t) => !(t instanceof Tensor))) throw new ArgumentError(`${where}.slots.${slot} must be an array of Tensors`);
  }
}

function metadataJson(metadata: ModelMetadata): string {
  const where = 'serializeModel: options.metadata';
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new ArgumentError(`${where} must be a plain object, got ${Array.isArray(metadata) ? 'an array' : typeof metadata}`);
  let text: string;
  try {
    text = JSON.stringify(metadata);
  } catch (err) {
    throw new ArgumentError(`${where} cannot be written as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const { classNames, inputShape } = metadata;
  if (classNames !== undefined && (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string'))) throw new ArgumentError(`${where}.classNames must be an array of strings`);
  if (inputShape !== undefined && (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isSafeInteger(d) || d < 1))) {
    throw new ArgumentError(`${where}.inputShape must be an array of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  return text;
}

/**
 * Serializes a model (architecture + weights) and optionally its optimizer's state into one
 * safetensors file. Reads tensors with `await t.data()`, so it works on every backend.
 *
 * @param model - the module to save; its class (and its children's) must be registered with
 *   `registerModule` to be loadable.
 * @param options - `optimizer`: state to save with the weights; `metadata`: what the file should
 *   say about the model (class names, input shape, preprocessing...).
 * @returns the file's bytes.
 * @throws ArgumentError for invalid optimizer state; whatever reading a tensor throws (e.g.
 *   DisposedError for a disposed parameter).
 */
export async function serializeModel(model: AnyModule, options: SerializeModelOptions = {}): Promise<Uint8Array> {
  if (!(model instanceof Module)) throw new ArgumentError('serializeModel: model must be a Module');
  const architecture = JSON.stringify(model.toConfig());
  const user = options.metadata === undefined ? undefined : metadataJson(options.metadata);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, v] of model.stateDict()) {
    if (name.startsWith(OPTIMIZER_PREFIX)) throw new ArgumentError(`serializeModel: parameter name '${name}' collides with the reserved '${OPTIMIZER_PREFIX}' prefix`);
    tensors.set(name, await toEntry(v));
  }
  let optimizer: string | undefined;
  if (options.optimizer !== undefined) {
    const state = options.optimizer;
    checkOptimizerState(state);
    const header: OptimizerHeader = { className: state.className, config: { ...state.config }, step: state.step, slots: {} };
    if (state.paramSteps !== undefined) header.paramSteps = [...state.paramSteps];
    for (const [slot, list] of Object.entries(state.slots)) {
      header.slots[slot] = list.length;
      for (let i = 0; i < list.length; i++) tensors.set(`${OPTIMIZER_PREFIX}${slot}/${i}`, await toEntry(list[i]!));
    }
    optimizer = JSON.stringify(header);
  }
  const plan = planSafetensors(tensors);
  const metadata: Record<string, string> = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, architecture };
  if (optimizer !== undefined) metadata.optimizer = optimizer;
  if (user !== undefined) metadata.user = user;
  metadata.checksum = checksumOf(plan.data, architecture, optimizer, user);
  return assembleSafetensors(plan, metadata);
}

interface ParsedModelFile {
  file: SafetensorsFile;
  architecture: ModuleConfig;
  optimizer: OptimizerHeader | undefined;
  user: ModelMetadata | undefined;
}

function parseJsonField(source: string, key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FileFormatError(source, 'bad-header', `the '${key}' metadata is not valid JSON (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
}

/** Decodes and validates everything but the module classes: format, version, checksum, JSON. */
function parseModelFile(bytes: Uint8Array, source: string): ParsedModelFile {
  const file = decodeSafetensors(bytes, { source });
  const meta = file.metadata;
  if (meta?.format !== MODEL_FORMAT) {
    const found = meta === undefined ? 'the header has no __metadata__' : meta.format === undefined ? "__metadata__ has no 'format'" : `format is '${meta.format}'`;
    throw new FileFormatError(source, 'not-a-model', `not a ScratchNet model: a valid safetensors file, but ${found} (expected format '${MODEL_FORMAT}')`);
  }
  if (meta.version !== MODEL_FORMAT_VERSION) {
    throw new FileFormatError(
      source,
      'unsupported-version',
      `unsupported model format version ${meta.version === undefined ? '(none given)' : `'${meta.version}'`}; this version of @scratchnet/layers reads version '${MODEL_FORMAT_VERSION}'`,
    );
  }
  if (meta.architecture === undefined) throw new FileFormatError(source, 'bad-header', "the model metadata has no 'architecture'");
  if (meta.checksum === undefined) throw new FileFormatError(source, 'bad-header', "the model metadata has no 'checksum'");
  if (!/^crc32:[0-9a-f]{8}$/.test(meta.checksum)) {
    throw new FileFormatError(source, 'bad-header', `the checksum '${meta.checksum}' is not of the form crc32:<8 lowercase hex digits>`);
  }
  const computed = checksumOf(bytes.subarray(file.dataStart), meta.architecture, meta.optimizer, meta.user);
  if (computed !== meta.checksum) {
    throw new FileFormatError(
      source,
      'checksum-mismatch',
      `checksum mismatch: the file records ${meta.checksum} but its weights and architecture hash to ${computed}; the file was damaged or altered after saving`,
    );
  }
  const architecture = parseJsonField(source, 'architecture', meta.architecture);
  if (typeof architecture !== 'object' || architecture === null || typeof (architecture as { className?: unknown }).className !== 'string') {
    throw new FileFormatError(source, 'bad-header', "the 'architecture' metadata is not a module config { className, config }");
  }
  let optimizer: OptimizerHeader | undefined;
  if (meta.optimizer !== undefined) {
    const o = parseJsonField(source, 'optimizer', meta.optimizer) as Partial<OptimizerHeader> | null;
    const valid =
      typeof o === 'object' &&
      o !== null &&
      typeof o.className === 'string' &&
      typeof o.config === 'object' &&
      o.config !== null &&
      typeof o.step === 'number' &&
      typeof o.slots === 'object' &&
      o.slots !== null &&
      Object.values(o.slots).every((n) => Number.isSafeInteger(n) && n >= 0) &&
      (o.paramSteps === undefined || (Array.isArray(o.paramSteps) && o.paramSteps.every((n) => Number.isSafeInteger(n) && n >= 0)));
    if (!valid) throw new FileFormatError(source, 'bad-header', "the 'optimizer' metadata is not { className, config, step, slots }");
    optimizer = o as OptimizerHeader;
  }
  let user: ModelMetadata | undefined;
  if (meta.user !== undefined) {
    const u = parseJsonField(source, 'user', meta.user);
    if (typeof u !== 'object' || u === null || Array.isArray(u)) throw new FileFormatError(source, 'bad-header', "the 'user' metadata is not a JSON object");
    user = u as ModelMetadata;
  }
  return { file, architecture: architecture as ModuleConfig, optimizer, user };
}

function makeTensor(source: string, name: string, t: SafetensorsTensor): Tensor {
  const dtype = FROM_FILE_DTYPE[t.dtype];
  if (dtype === undefined) {
    throw new FileFormatError(source, 'unsupported-dtype', `tensor '${name}' has dtype ${t.dtype}; ScratchNet models hold F32, F16, I32 and BOOL tensors`);
  }
  const values = dtype === 'float16' ? decodeFloat16(t.data as Uint16Array) : t.data as Float32Array | Int32Array | Uint8Array;
  return tensor(values, t.shape, dtype);
}

/** Splits the file's tensors into weights and optimizer slots, checking the slots are complete. */
function splitTensors(parsed: ParsedModelFile, source: string): { weights: Map<string, SafetensorsTensor>; slots: Map<string, SafetensorsTensor[]> } {
  const weights = new Map<string, SafetensorsTensor>();
  const slots = new Map<string, SafetensorsTensor[]>();
  const expected = parsed.optimizer?.slots ?? {};
  for (const [slot, count] of Object.entries(expected)) slots.set(slot, new Array<SafetensorsTensor>(count));
  for (const [name, t] of parsed.file.tensors) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) {
      weights.set(name, t);
      continue;
    }
    const rest = name.slice(OPTIMIZER_PREFIX.length);
    const cut = rest.lastIndexOf('/');
    const slot = rest.slice(0, cut);
    const index = Number(rest.slice(cut + 1));
    const list = slots.get(slot);
    if (cut < 0 || !list || !Number.isInteger(index) || index < 0 || index >= list.length) {
      throw new FileFormatError(source, 'bad-layout', `tensor '${name}' is not one of the optimizer slots the metadata lists (${JSON.stringify(expected)})`);
    }
    list[index] = t;
  }
  for (const [slot, list] of slots) {
    for (let i = 0; i < list.length; i++) {
      if (list[i] === undefined) throw new FileFormatError(source, 'bad-layout', `optimizer slot tensor '${OPTIMIZER_PREFIX}${slot}/${i}' is missing`);
    }
  }
  return { weights, slots };
}

function buildModule(config: ModuleConfig, source: string): Module {
  try {
    return moduleFromConfig(config);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const code = /unknown module class/.test(why) ? 'unknown-class' : 'bad-header';
    throw new FileFormatError(source, code, `the architecture cannot be rebuilt: ${why}`, { cause: err });
  }
}

/** Copies the file's weights into `model`; a mismatch becomes an `architecture-mismatch` error. */
function loadWeightsInto(model: AnyModule, weights: Map<string, SafetensorsTensor>, source: string): void {
  const created = new Map<string, Tensor>();
  try {
    for (const [name, t] of weights) created.set(name, makeTensor(source, name, t));
    model.loadStateDict(created);
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new FileFormatError(source, 'architecture-mismatch', `the weights do not fit the architecture (${model.className}): ${why}`, { cause: err });
  } finally {
    for (const t of created.values()) t.dispose();
  }
}

/**
 * Rebuilds a model from {@link serializeModel}'s bytes: validates the file, builds the module
 * with `moduleFromConfig`, then copies the weights in with `loadStateDict`. Weights land on the
 * current backend.
 *
 * @param bytes - the file's bytes.
 * @param options - `source` names the file in errors.
 * @returns the model and, when the file has one, the optimizer state (tensors on the current
 *   backend, owned by the caller).
 * @throws {@link FileFormatError} — every problem that {@link decodeSafetensors} reports, plus
 *   `not-a-model`, `unsupported-version`, `checksum-mismatch`, `bad-header` (architecture or
 *   optimizer metadata malformed), `unknown-class`, `unsupported-dtype`, `architecture-mismatch`.
 */
export function deserializeModel(bytes: Uint8Array, options: DeserializeModelOptions = {}): Promise<LoadedModel> {
  // The executor turns a synchronous throw into a rejection, as an async function would.
  return new Promise((resolve) => resolve(deserializeModelNow(bytes, options)));
}

function deserializeModelNow(bytes: Uint8Array, options: DeserializeModelOptions): LoadedModel {
  const source = options.source ?? 'model bytes';
  const parsed = parseModelFile(bytes, source);
  const { weights, slots } = splitTensors(parsed, source);
  const model = buildModule(parsed.architecture, source);
  try {
    loadWeightsInto(model, weights, source);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const withMeta = (r: LoadedModel): LoadedModel => (parsed.user ? { ...r, metadata: parsed.user } : r);
  if (!parsed.optimizer) return withMeta({ model });
  const made: Tensor[] = [];
  try {
    const stateSlots: Record<string, Tensor[]> = {};
    for (const [slot, list] of slots) {
      stateSlots[slot] = list.map((t, i) => {
        const x = makeTensor(source, `${OPTIMIZER_PREFIX}${slot}/${i}`, t);
        made.push(x);
        return x;
      });
    }
    const { className, config, step, paramSteps } = parsed.optimizer;
    const optimizerState: OptimizerStateLike = { className, config: { ...config }, step, slots: stateSlots };
    if (paramSteps !== undefined) optimizerState.paramSteps = [...paramSteps];
    return withMeta({ model, optimizerState });
  } catch (err) {
    for (const t of made) t.dispose();
    model.dispose();
    throw err;
  }
}

/**
 * Copies the weights of a saved model file into an existing model (whose architecture must
 * match; the file's architecture is not rebuilt, its optimizer state is ignored).
 *
 * @param model - the module to load into.
 * @param bytes - the file's bytes.
 * @param options - `source` names the file in errors.
 * @throws {@link FileFormatError} as {@link deserializeModel}; `architecture-mismatch` when the
 *   names or shapes of the weights differ from the model's.
 */
export function deserializeWeightsInto(model: AnyModule, bytes: Uint8Array, options: DeserializeModelOptions = {}): Promise<void> {
  return new Promise((resolve) => {
    const source = options.source ?? 'model bytes';
    const parsed = parseModelFile(bytes, source);
    const { weights } = splitTensors(parsed, source);
    loadWeightsInto(model, weights, source);
    resolve();
  });
}
