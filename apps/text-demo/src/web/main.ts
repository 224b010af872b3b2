/**
 * The names page: trains a small GPT (or an LSTM) on the bundled first names in the browser, with a
 * live loss chart and samples as it learns, a backend picker that works mid-training, generation
 * with a prompt and temperature, and save/load of the model with its tokenizer.
 */
import '../shared/register-backends.js';
import { RandomGenerator, getBackendName, setBackend } from '@scratchnet/core';
import { Adam, loadModel, saveModel, type GPT, type LSTMLanguageModel, type Tokenizer } from '@scratchnet/layers';
import names from 'virtual:text-demo/names';
import { errorLine, probeBackends, type BackendStatus } from '../shared/backends.js';
import { buildLanguageModel, type ModelKind } from '../shared/model.js';
import { readTextModel, textModelMetadata } from '../shared/model-meta.js';
import { namesStream, namesTokenizer, unigramLoss } from '../shared/names.js';
import { inventNames, type InventedName } from '../shared/sample-names.js';
import { splitStream, trainSteps, validationLoss } from '../shared/training.js';
import { renderBackendList } from './backend-list.js';
import { SAMPLE_FIELDS, TRAIN_FIELDS, checkNumbers, unknownCharacters, type NumberField } from './form.js';
import { LossChart } from './loss-chart.js';
import { isSavedInBrowser } from './saved-model.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const app = $('app');
const IDB_NAME = 'text-demo-names';
/** Validation loss and samples every this many steps while training. */
const LIVE_EVERY = 100;

/** What the end-to-end test (or a curious user in the console) can read. */
interface DemoState {
  backends: BackendStatus[];
  namesCount: number;
  steps: number;
  losses: number[];
  valLosses: { step: number; loss: number }[];
  baseline: number;
  switches: { step: number; from: string; to: string }[];
  names: InventedName[];
  errors: string[];
}
const state: DemoState = { backends: [], namesCount: names.length, steps: 0, losses: [], valLosses: [], baseline: NaN, switches: [], names: [], errors: [] };
(window as unknown as { textDemo: DemoState }).textDemo = state;

const known = new Set(names);
const trainingTokenizer = namesTokenizer(names);
let model: GPT | LSTMLanguageModel | null = null;
let tokenizer: Tokenizer = trainingTokenizer;
let optimizer: Adam | null = null;
let run: { abort: AbortController } | null = null;
let pendingBackend: string | null = null;
/** The generation under way, if any: backend moves and new training wait for it. */
let generating: Promise<void> | null = null;
const chart = new LossChart($<HTMLCanvasElement>('loss-chart'));

function setState(s: string): void {
  app.dataset.state = s;
  const busy = s === 'training';
  $<HTMLButtonElement>('train').disabled = busy || s === 'loading';
  $<HTMLButtonElement>('stop').disabled = !busy;
  $<HTMLButtonElement>('generate').disabled = busy || !model;
  $<HTMLButtonElement>('save-download').disabled = busy || !model;
  $<HTMLButtonElement>('save-idb').disabled = busy || !model;
  $<HTMLInputElement>('load-file').disabled = busy;
  void refreshSaved(busy);
}

function report(e: unknown, where = 'status'): void {
  const line = errorLine(e);
  state.errors.push(line);
  $(where).textContent = `Error: ${line}`;
  console.error(e);
}

/** Reads `fields`, marking and explaining bad ones in `errorId`; null when any is bad. */
function readFields(fields: readonly NumberField[], errorId: string): Record<string, number | undefined> | null {
  const checked = checkNumbers(fields, Object.fromEntries(fields.map((f) => [f.id, $<HTMLInputElement>(f.id).value])));
  for (const f of fields) $(f.id).setAttribute('aria-invalid', String(!checked.ok && checked.errors.some((e) => e.id === f.id)));
  $(errorId).textContent = checked.ok ? '' : checked.errors.map((e) => e.message).join('. ');
  return checked.ok ? checked.values : null;
}

// ── Backends ───────────────────────────────────────────────────────────────────────────────

function showBackends(): void {
  renderBackendList($('backends'), state.backends, getBackendName(), (name) => void pickBackend(name));
  app.dataset.backend = getBackendName();
}

async function moveTo(name: string): Promise<void> {
  await setBackend(name);
  if (model) await model.to(name);
  if (optimizer) await optimizer.to(name);
}

async function pickBackend(name: string): Promise<void> {
  if (run) {
    pendingBackend = name; // moved after the current step
    return;
  }
  await generating;
  try {
    await moveTo(name);
  } catch (e) {
    report(e);
  }
  showBackends();
}

/** Applies a backend picked during training; called between steps. */
async function applyPendingBackend(step: number): Promise<void> {
  const to = pendingBackend;
  pendingBackend = null;
  if (!to || to === getBackendName()) return;
  const from = getBackendName();
  try {
    await moveTo(to);
    state.switches.push({ step, from, to });
    chart.mark(step, `${from} → ${to}`);
  } catch (e) {
    report(e);
  }
  showBackends();
}

// ── Training ───────────────────────────────────────────────────────────────────────────────

function releaseModel(): void {
  optimizer?.dispose();
  model?.dispose();
  optimizer = null;
  model = null;
}

function showNames(list: HTMLElement, drawn: readonly InventedName[]): void {
  list.replaceChildren(...drawn.map(({ name, novel }) => {
    const li = document.createElement('li');
    li.textContent = name;
    if (novel) li.className = 'novel';
    li.title = novel ? 'not in the training list' : 'in the training list';
    return li;
  }));
}

async function train(): Promise<void> {
  if (run || generating) return;
  const form = readFields(TRAIN_FIELDS, 'train-error');
  if (!form) return;
  const field = (id: string): number => form[id]!;
  const [layers, heads, width, context, steps, batch, lr] = [field('layers'), field('heads'), field('width'), field('context'), field('steps'), field('batch'), field('lr')];
  const kind = $<HTMLSelectElement>('model').value as ModelKind;
  const seed = 1;
  const ids = namesStream(names, trainingTokenizer, seed);
  const { train: windows, val } = splitStream(ids, context, 512);
  releaseModel();
  tokenizer = trainingTokenizer;
  model = buildLanguageModel(kind, tokenizer.vocabSize, { layers, heads, width, context, dropout: 0, seed });
  optimizer = new Adam(model.parameters(), { lr });
  const trained = model;
  const samplesRng = new RandomGenerator(seed);
  Object.assign(state, { steps: 0, losses: [], valLosses: [], switches: [], baseline: unigramLoss(ids) });
  chart.reset(state.baseline);
  $('live-samples').replaceChildren();
  const progress = $<HTMLProgressElement>('progress');
  progress.max = steps;
  progress.value = 0;
  run = { abort: new AbortController() };
  setState('training');
  const parameters = trained.parameterCount().toLocaleString('en-US');
  $('model-status').textContent = `Training a ${trained.className} of ${parameters} parameters.`;
  const validate = async (step: number): Promise<number> => {
    const loss = await validationLoss(trained, val);
    state.valLosses.push({ step, loss });
    chart.addValidation(step, loss);
    return loss;
  };
  const started = performance.now();
  try {
    const done = await trainSteps(trained, windows, optimizer, { steps, batch, accumulate: 1, context, seed }, async ({ step, loss, tokensPerSecond }) => {
      state.steps = step;
      state.losses.push(loss);
      app.dataset.steps = String(step);
      chart.addTrain(step, loss);
      progress.value = step;
      $('status').textContent = `step ${step}/${steps} · loss ${loss.toFixed(3)} · ${Math.round(tokensPerSecond).toLocaleString('en-US')} tokens/s on ${getBackendName()}`;
      if (step % LIVE_EVERY === 0 && step < steps) {
        await validate(step);
        showNames($('live-samples'), await inventNames(trained, tokenizer, known, { count: 6, prompt: '', temperature: 0.8, seed: samplesRng }));
      }
      await applyPendingBackend(step);
      await new Promise((r) => setTimeout(r, 0)); // let the page draw and take clicks
    }, run.abort.signal);
    const valLoss = await validate(done);
    showNames($('live-samples'), await inventNames(trained, tokenizer, known, { count: 6, prompt: '', temperature: 0.8, seed: samplesRng }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const outcome = done < steps ? 'stopped' : 'done';
    $('status').textContent = `${outcome} after ${done} steps in ${seconds} s on ${getBackendName()} · validation loss ${valLoss.toFixed(3)} (unigram baseline ${state.baseline.toFixed(3)})`;
    $('model-status').textContent = `Trained a ${trained.className} of ${parameters} parameters.`;
    run = null;
    setState(outcome);
  } catch (e) {
    run = null;
    report(e);
    setState('error');
  }
  pendingBackend = null;
}

// ── Generation ─────────────────────────────────────────────────────────────────────────────

async function generateNames(): Promise<void> {
  if (!model || run || generating) return;
  const form = readFields(SAMPLE_FIELDS, 'generate-error');
  if (!form) return;
  const promptInput = $<HTMLInputElement>('prompt');
  const prompt = promptInput.value.trim().toLowerCase();
  const unknown = unknownCharacters(prompt, (ch) => {
    try {
      tokenizer.encode(ch);
      return true;
    } catch {
      return false;
    }
  });
  promptInput.setAttribute('aria-invalid', String(unknown.length > 0));
  if (unknown.length > 0) {
    $('generate-error').textContent = `starts with: the model knows no ${unknown.map((c) => `'${c}'`).join(', ')} (it learnt the letters of the names list)`;
    return;
  }
  const seed = form.seed!;
  const drawing = model;
  $('names').dataset.ready = 'no';
  const button = $<HTMLButtonElement>('generate');
  button.disabled = true;
  generating = (async () => {
    try {
      const drawn = await inventNames(drawing, tokenizer, known, { count: 10, prompt, temperature: form.temperature!, topK: form['top-k'], seed: new RandomGenerator(seed) });
      state.names = drawn;
      showNames($('names'), drawn);
      $<HTMLInputElement>('seed').value = String(seed + 1); // the next click draws other names
      $('names').dataset.ready = 'yes';
    } catch (e) {
      report(e, 'generate-error');
    }
  })();
  await generating;
  generating = null;
  button.disabled = !model || app.dataset.state === 'training';
}

// ── Save and load ──────────────────────────────────────────────────────────────────────────

async function refreshSaved(busy = app.dataset.state === 'training'): Promise<void> {
  const saved = await isSavedInBrowser(IDB_NAME);
  const button = $<HTMLButtonElement>('load-idb');
  button.disabled = busy || !saved;
  button.title = saved ? 'Load the model saved in this browser' : 'Nothing saved in this browser yet';
}

async function withModelStatus(done: string, job: () => Promise<void>): Promise<void> {
  try {
    await job();
    $('model-status').textContent = done;
  } catch (e) {
    report(e, 'model-status');
  }
}

async function adopt(source: Parameters<typeof loadModel>[0], from: string): Promise<void> {
  const loaded = readTextModel(await loadModel(source), from);
  if (loaded.corpus !== 'names') {
    loaded.model.dispose();
    throw new Error(`${from} learnt ${loaded.corpus ?? 'an unnamed corpus'}, not names: train it here or load a names model`);
  }
  releaseModel();
  model = loaded.model;
  tokenizer = loaded.tokenizer;
  setState('loaded');
  showBackends();
}

$('save-download').addEventListener('click', () => {
  if (model) void withModelStatus('Downloaded text-demo-names.safetensors.', () => saveModel(model!, 'downloads://text-demo-names', { metadata: textModelMetadata(tokenizer, 'names') }));
});
$('save-idb').addEventListener('click', () => {
  if (model) void withModelStatus('Saved in this browser.', () => saveModel(model!, `indexeddb://${IDB_NAME}`, { metadata: textModelMetadata(tokenizer, 'names') })).then(() => refreshSaved());
});
$('load-idb').addEventListener('click', () => void withModelStatus('Loaded the model saved in this browser.', () => adopt(`indexeddb://${IDB_NAME}`, 'this browser')));
$<HTMLInputElement>('load-file').addEventListener('change', (ev) => {
  const input = ev.target as HTMLInputElement;
  const file = input.files?.[0];
  if (file) void withModelStatus(`Loaded ${file.name}.`, () => adopt(file, file.name)).finally(() => (input.value = ''));
});

// ── Start ──────────────────────────────────────────────────────────────────────────────────

$('train').addEventListener('click', () => void train());
$('stop').addEventListener('click', () => run?.abort.abort());
$('generate').addEventListener('click', () => void generateNames());

async function start(): Promise<void> {
  state.backends = await probeBackends();
  showBackends();
  const letters = trainingTokenizer.vocabSize - 1;
  $('data-status').textContent = `${names.length.toLocaleString('en-US')} distinct English first names (the @stdlib female and male lists, bundled with this page), ${letters} characters plus <eos>.`;
  chart.reset(null);
  setState('ready');
}

void start().catch((e: unknown) => {
  report(e);
  setState('error');
});
