/**
 * The MNIST page: pick a backend, train with live charts (and switch backend while training),
 * draw digits and watch the probabilities, browse test digits, save and load the model.
 */
import '../shared/register-backends.js';
import { getBackendName, setBackend, tensor } from '@scratchnet/core';
import { CosineAnnealingLR, CrossEntropyLoss, fit, loadModel, saveModel, type Module, type Optimizer, type TensorDataset } from '@scratchnet/layers';
import { describeInfo, deviceLossLine, fallbackFor, firstLine, isSoftwareGpu, probeBackends, type BackendStatus } from '../shared/backends.js';
import { PIXELS, shiftAugment, takeDigits, toDataset, type DigitSplit } from '../shared/data.js';
import { buildModel, classify, DEFAULT_LR, makeOptimizer, probabilities, type ModelKind, type OptimizerName } from '../shared/model.js';
import { LiveChart } from './charts.js';
import { loadDigits } from './data.js';
import { DrawingPad, paintDigit } from './draw.js';
import { checkFields, TRAINING_FIELDS } from './form.js';
import { hasSavedModel } from './saved-model.js';
import { mountImagePanel } from './images.js';
import { MNIST_METADATA, mnistModelOrRefuse } from '../shared/model-meta.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const app = $('app');
const GALLERY = 48;
const IDB_NAME = 'indexeddb://mnist-demo';

/** What the end-to-end test (and a curious user in the console) can read. */
interface DemoState {
  backends: BackendStatus[];
  steps: number;
  switches: { step: number; from: string; to: string }[];
  probabilities: number[] | null;
  gallery: { predicted: number[]; confidence: number[] } | null;
  errors: string[];
}
const state: DemoState = { backends: [], steps: 0, switches: [], probabilities: null, gallery: null, errors: [] };
(window as unknown as { mnistDemo: DemoState }).mnistDemo = state;

let split: DigitSplit | null = null;
let testSet: TensorDataset | null = null;
let model: Module | null = null;
let optimizer: Optimizer | null = null;
let training: { abort: AbortController; paused: boolean; resume: (() => void) | null } | null = null;
let pendingSwitch: string | null = null;

const lossChart = new LiveChart($<HTMLCanvasElement>('loss-chart'), 'loss', [{ label: 'training loss', color: '#6b7cff' }, { label: 'test loss', color: '#f29d38' }]);
const accChart = new LiveChart($<HTMLCanvasElement>('acc-chart'), 'accuracy', [{ label: 'training accuracy', color: '#2bb673' }, { label: 'test accuracy', color: '#f29d38' }], 1);

function setState(s: string, text?: string): void {
  app.dataset.state = s;
  if (text !== undefined) $('status').textContent = text;
  const busy = s === 'training' || s === 'paused';
  $<HTMLButtonElement>('train').disabled = busy || !split;
  $<HTMLButtonElement>('pause').disabled = !busy;
  $<HTMLButtonElement>('pause').textContent = s === 'paused' ? 'Resume' : 'Pause';
  $<HTMLButtonElement>('stop').disabled = !busy;
  $<HTMLButtonElement>('save-download').disabled = !model || busy;
  $<HTMLButtonElement>('save-idb').disabled = !model || busy;
}

function report(e: unknown): void {
  const msg = firstLine(e);
  state.errors.push(msg);
  $('model-status').textContent = `Error: ${msg}`;
  console.error(e);
}

// ── Backends ────────────────────────────────────────────────────────────────────────────────

function renderBackends(): void {
  const list = $('backends');
  list.replaceChildren();
  const active = getBackendName();
  for (const b of state.backends) {
    const li = document.createElement('li');
    li.className = b.available ? 'available' : 'unavailable';
    li.dataset.backend = b.name;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'backend';
    input.value = b.name;
    input.id = `backend-${b.name}`;
    input.disabled = !b.available;
    input.checked = b.name === active;
    input.addEventListener('change', () => void chooseBackend(b.name));
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = b.name;
    const facts = document.createElement('span');
    facts.className = 'facts';
    const soft = isSoftwareGpu(b) ? ' · a software emulation of a GPU, so not picked by default' : '';
    facts.textContent = b.available ? `available${describeInfo(b.info) ? ` · ${describeInfo(b.info)}` : ''}${soft}` : `not available: ${b.reason ?? 'unknown reason'}`;
    li.append(input, label, facts);
    list.append(li);
  }
  app.dataset.backend = active;
}

async function chooseBackend(name: string): Promise<void> {
  if (training) {
    pendingSwitch = name; // applied after the current batch
    return;
  }
  try {
    await moveTo(name);
  } catch (e) {
    report(e);
  }
  renderBackends();
  await updateProbabilities();
}

async function moveTo(name: string): Promise<void> {
  await setBackend(name);
  if (model) await model.to(name);
  if (optimizer) await optimizer.to(name);
  app.dataset.backend = name;
}

/** Frees the current model's and optimizer's tensors (before another takes their place). */
function releaseModel(): void {
  optimizer?.dispose();
  model?.dispose();
  optimizer = null;
  model = null;
}

// ── Training ────────────────────────────────────────────────────────────────────────────────

/** Reads the training form; on a bad value marks the field, shows why, and returns null. */
function readForm(): Record<string, number | undefined> | null {
  const raw = Object.fromEntries(TRAINING_FIELDS.map((f) => [f.id, $<HTMLInputElement>(f.id).value]));
  const result = checkFields(TRAINING_FIELDS, raw);
  for (const f of TRAINING_FIELDS) $(f.id).setAttribute('aria-invalid', String(!result.ok && result.errors.some((e) => e.id === f.id)));
  $('form-error').textContent = result.ok ? '' : result.errors.map((e) => e.message).join('. ');
  if (!result.ok) {
    $(result.errors[0]!.id).focus();
    return null;
  }
  return result.values;
}

async function train(): Promise<void> {
  if (!split || !testSet || training) return;
  const form = readForm();
  if (!form) return;
  const kind = $<HTMLSelectElement>('model').value as ModelKind;
  const optName = $<HTMLSelectElement>('optimizer').value as OptimizerName;
  const epochs = form.epochs!;
  const batchSize = form.batch!;
  const lr = form.lr!;
  const maxBatches = form['max-batches'];
  const trainDigits = maxBatches !== undefined ? takeDigits(split.train, maxBatches * batchSize) : split.train;

  releaseModel();
  model = buildModel(kind, 1);
  optimizer = makeOptimizer(optName, model, lr);
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: epochs });
  const loss = new CrossEntropyLoss();
  lossChart.reset();
  accChart.reset();
  state.steps = 0;
  state.switches = [];
  training = { abort: new AbortController(), paused: false, resume: null };
  const run = training;
  setState('training', 'starting…');
  const progress = $<HTMLProgressElement>('progress');
  const batches = Math.ceil(trainDigits.count / batchSize);
  progress.max = epochs * batches;
  let lastDraw = 0;
  try {
    for (let epoch = 0; epoch < epochs && !run.abort.signal.aborted; epoch++) {
      const data = toDataset(shiftAugment(trainDigits, 2, 7919 + epoch));
      await fit(model, data, {
        loss, optimizer, epochs: 1, batchSize, seed: 1009 + epoch, metrics: ['accuracy'], validationData: testSet, scheduler, signal: run.abort.signal,
        // A lost GPU device (a reset, a backgrounded tab): go on on the next best backend from the last synced weights.
        fallbackBackend: fallbackFor(state.backends, getBackendName()),
        syncEvery: 50,
        onDeviceLost: (l) => {
          report(deviceLossLine(l));
          state.switches.push({ step: state.steps, from: l.from, to: l.to });
          lossChart.mark(state.steps, `${l.from} lost → ${l.to}`);
          accChart.mark(state.steps, `${l.from} lost → ${l.to}`);
          renderBackends();
        },
        onBatchEnd: async (b) => {
          state.steps += 1;
          app.dataset.steps = String(state.steps);
          lossChart.push(0, state.steps, b.loss);
          accChart.push(0, state.steps, b.accuracy ?? 0);
          progress.value = epoch * batches + b.batch;
          $('status').textContent =
            `epoch ${epoch + 1}/${epochs} · batch ${b.batch}/${b.batches} · loss ${b.loss.toFixed(3)} · ` +
            `accuracy ${((b.accuracy ?? 0) * 100).toFixed(1)}% · ${Math.round(b.samplesPerSecond)} samples/s on ${getBackendName()}`;
          if (performance.now() - lastDraw > 250 || b.batch === b.batches) {
            lossChart.draw();
            accChart.draw();
            lastDraw = performance.now();
          }
          if (pendingSwitch && pendingSwitch !== getBackendName()) {
            const from = getBackendName();
            const to = pendingSwitch;
            pendingSwitch = null;
            try {
              await moveTo(to);
              state.switches.push({ step: state.steps, from, to });
              lossChart.mark(state.steps, `${from} → ${to}`);
              accChart.mark(state.steps, `${from} → ${to}`);
            } catch (e) {
              report(e);
            }
            renderBackends();
          }
          pendingSwitch = null;
          if (run.paused) {
            setState('paused', `${$('status').textContent ?? ''} · paused`);
            await new Promise<void>((resolve) => (run.resume = resolve));
            setState('training');
          }
          // Let the page breathe (drawing, clicks) between batches.
          await new Promise((r) => setTimeout(r, 0));
        },
        onEpochEnd: async (e) => {
          lossChart.push(1, state.steps, e.valLoss ?? NaN);
          accChart.push(1, state.steps, e.valAccuracy ?? NaN);
          lossChart.draw();
          accChart.draw();
          await updateGallery(e.valAccuracy);
        },
      });
    }
    setState(run.abort.signal.aborted ? 'stopped' : 'done', `${run.abort.signal.aborted ? 'stopped' : 'done'} after ${state.steps} batches on ${getBackendName()}`);
  } catch (e) {
    report(e);
    setState('error', `error: ${firstLine(e)}`);
  } finally {
    training = null;
    setState(app.dataset.state ?? 'done');
    $('model-status').textContent = `Trained ${kind.toUpperCase()} (${model.parameterCount().toLocaleString('en-US')} parameters).`;
    await updateGallery();
    await updateProbabilities();
  }
}

// ── Predictions: gallery and drawing ───────────────────────────────────────────────────────

async function updateGallery(testAccuracy?: number): Promise<void> {
  if (!split || !model) return;
  const digits = takeDigits(split.test, GALLERY);
  const result = await classify(model, toDataset(digits));
  state.gallery = { predicted: [...result.predicted], confidence: [...result.confidence] };
  const gallery = $('gallery');
  gallery.replaceChildren();
  let wrong = 0;
  for (let i = 0; i < digits.count; i++) {
    const fig = document.createElement('figure');
    const c = document.createElement('canvas');
    c.width = 28;
    c.height = 28;
    paintDigit(c, digits.images.subarray(i * PIXELS, (i + 1) * PIXELS), 1);
    const ok = result.predicted[i] === result.actual[i];
    if (!ok) wrong++;
    fig.className = ok ? 'right' : 'wrong';
    const cap = document.createElement('figcaption');
    cap.textContent = ok ? `${result.predicted[i]} ✓` : `${result.predicted[i]} (is ${result.actual[i]})`;
    fig.append(c, cap);
    gallery.append(fig);
  }
  const acc = testAccuracy ?? (testSet ? (await classify(model, testSet)).accuracy : undefined);
  $('gallery-summary').textContent =
    `· ${wrong} of ${digits.count} shown are wrong` + (acc === undefined ? '' : ` · accuracy on all ${split.test.count.toLocaleString('en-US')} test digits: ${(acc * 100).toFixed(2)}%`);
}

const pad = new DrawingPad($<HTMLCanvasElement>('pad'), () => void updateProbabilities());
$('clear').addEventListener('click', () => pad.clear());

let predicting = false;
let again = false;
async function updateProbabilities(): Promise<void> {
  if (predicting) {
    again = true;
    return;
  }
  predicting = true;
  try {
    do {
      again = false;
      const digit = pad.digit();
      const preview = $<HTMLCanvasElement>('pad-preview');
      paintDigit(preview, digit ?? new Float32Array(PIXELS));
      if (!digit || !model) {
        state.probabilities = null;
        renderProbabilities(null);
        continue;
      }
      const x = tensor(digit, [1, 1, 28, 28]);
      const p = await probabilities(model, x);
      x.dispose();
      state.probabilities = [...p];
      renderProbabilities(p);
    } while (again);
  } catch (e) {
    report(e);
  } finally {
    predicting = false;
  }
}

function renderProbabilities(p: Float32Array | null): void {
  const list = $('probs');
  list.replaceChildren();
  const best = p ? p.indexOf(Math.max(...p)) : -1;
  for (let c = 0; c < 10; c++) {
    const li = document.createElement('li');
    if (c === best) li.className = 'top';
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = `${((p?.[c] ?? 0) * 100).toFixed(1)}%`;
    const wrap = document.createElement('div');
    wrap.append(bar);
    const label = document.createElement('span');
    label.textContent = String(c);
    const value = document.createElement('span');
    value.textContent = p ? `${((p[c] ?? 0) * 100).toFixed(1)}%` : '–';
    li.append(label, wrap, value);
    list.append(li);
  }
  $('probs').dataset.ready = p ? 'yes' : 'no';
}

// ── Save / load ────────────────────────────────────────────────────────────────────────────

async function withModel(what: string, job: () => Promise<void>): Promise<void> {
  try {
    await job();
    $('model-status').textContent = what;
  } catch (e) {
    report(e);
  }
}

$('save-download').addEventListener('click', () => {
  if (model) void withModel('Downloaded mnist-demo.safetensors.', () => saveModel(model!, 'downloads://mnist-demo', { metadata: MNIST_METADATA }));
});
$('save-idb').addEventListener('click', () => {
  if (model) void withModel(`Saved in this browser (${IDB_NAME}).`, () => saveModel(model!, IDB_NAME, { metadata: MNIST_METADATA })).then(refreshSaved);
});

/** Enables "Load from browser" only while a model is saved in this browser. */
async function refreshSaved(): Promise<void> {
  const saved = await hasSavedModel(IDB_NAME.slice('indexeddb://'.length));
  const button = $<HTMLButtonElement>('load-idb');
  button.disabled = !saved;
  button.title = saved ? 'Load the model saved in this browser' : 'Nothing saved in this browser yet: use "Save in browser" first';
}

async function adopt(loaded: Module, from: string): Promise<void> {
  releaseModel();
  model = loaded;
  $('model-status').textContent = `Loaded a model from ${from}.`;
  setState(app.dataset.state === 'loading' ? 'ready' : 'loaded');
  await updateGallery();
  await updateProbabilities();
}

$('load-idb').addEventListener('click', () => {
  void withModel('Loaded from this browser.', async () => adopt(mnistModelOrRefuse(await loadModel(IDB_NAME), IDB_NAME), 'this browser'));
});
$<HTMLInputElement>('load-file').addEventListener('change', (ev) => {
  const file = (ev.target as HTMLInputElement).files?.[0];
  if (file) void withModel(`Loaded ${file.name}.`, async () => adopt(mnistModelOrRefuse(await loadModel(file), file.name), file.name));
});

// ── Start ──────────────────────────────────────────────────────────────────────────────────

$('train').addEventListener('click', () => void train());
$('pause').addEventListener('click', () => {
  if (!training) return;
  training.paused = !training.paused;
  if (!training.paused) {
    training.resume?.();
    training.resume = null;
  }
});
$('stop').addEventListener('click', () => {
  if (!training) return;
  training.abort.abort();
  training.paused = false;
  training.resume?.();
});
$<HTMLSelectElement>('optimizer').addEventListener('change', () => {
  $<HTMLInputElement>('lr').value = String(DEFAULT_LR[$<HTMLSelectElement>('optimizer').value as OptimizerName]);
});

async function start(): Promise<void> {
  void refreshSaved();
  state.backends = await probeBackends();
  renderBackends();
  renderProbabilities(null);
  try {
    split = await loadDigits();
    testSet = toDataset(split.test);
    $('data-status').textContent = `${split.train.count.toLocaleString('en-US')} training and ${split.test.count.toLocaleString('en-US')} test digits (the 'mnist' package's 10,000, served with this page).`;
    setState('ready', 'ready');
  } catch (e) {
    report(e);
    $('data-status').textContent = `Could not load the digits: ${firstLine(e)}`;
    setState('error');
  }
}

mountImagePanel(app);
void start();
