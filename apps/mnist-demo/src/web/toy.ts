/**
 * The 2-D playground: a toy problem's points (or the user's own: clicked or pasted as CSV), a small
 * MLP trained live (full-batch Adam steps on the active backend) with loss and accuracy charts,
 * stopping at a target accuracy or a step count, and its decision boundary as a heat map, redrawn
 * every frame and downloadable as a PNG.
 */
import '../shared/register-backends.js';
import { getBackendName, noGrad, setBackend, softmax, tensor, tidy } from '@scratchnet/core';
import { Adam, CrossEntropyLoss, Linear, ReLU, Sequential, TensorDataset, fit } from '@scratchnet/layers';
import { probeBackends } from '../shared/backends.js';
import { makeToy, type ToyData, type ToyProblem } from '../shared/toy.js';
import { LiveChart } from './charts.js';
import { checkFields, type FieldRule } from './form.js';
import { addPoint, parseToyCsv, stopReason, type StopRule } from './toy-points.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('toy-canvas');
const ctx = canvas.getContext('2d')!;
const app = $('toy-app');
const COLOURS = [[107, 124, 255], [242, 157, 56], [43, 182, 115]] as const;
const GRID = 64;
const STEPS_PER_FRAME = 4;

let data: ToyData;
let dataset: TensorDataset;
let model: Sequential;
let optimizer: Adam;
let running = false;
let steps = 0;
let lastLoss = NaN;
let lastAccuracy = NaN;
let busy = false;
let stopNote = '';

const lossChart = new LiveChart($<HTMLCanvasElement>('toy-loss-chart'), 'loss', [{ label: 'loss', color: '#6b7cff' }], undefined, 'step');
const accChart = new LiveChart($<HTMLCanvasElement>('toy-acc-chart'), 'accuracy', [{ label: 'accuracy', color: '#2bb673' }], 1, 'step');

const STOP_FIELDS: readonly FieldRule[] = [
  { id: 'toy-target', label: 'stop at accuracy %', kind: 'positive', max: 100, optional: true },
  { id: 'toy-max-steps', label: 'stop after steps', kind: 'integer', min: 1, optional: true },
];

/** The stop rule from the form, or null (with the message shown) when a field is bad. */
function readStopRule(): StopRule | null {
  const r = checkFields(STOP_FIELDS, Object.fromEntries(STOP_FIELDS.map((f) => [f.id, $<HTMLInputElement>(f.id).value])));
  for (const f of STOP_FIELDS) $(f.id).setAttribute('aria-invalid', String(!r.ok && r.errors.some((e) => e.id === f.id)));
  $('toy-error').textContent = r.ok ? '' : r.errors.map((e) => e.message).join('. ');
  if (!r.ok) return null;
  const target = r.values['toy-target'];
  const maxSteps = r.values['toy-max-steps'];
  return { ...(target === undefined ? {} : { targetAccuracy: target / 100 }), ...(maxSteps === undefined ? {} : { maxSteps }) };
}

const grid = new Float32Array(GRID * GRID * 2);
for (let j = 0; j < GRID; j++) {
  for (let i = 0; i < GRID; i++) {
    grid[2 * (j * GRID + i)] = ((i + 0.5) / GRID) * 2 - 1;
    grid[2 * (j * GRID + i) + 1] = 1 - ((j + 0.5) / GRID) * 2;
  }
}

function reset(points?: ToyData): void {
  const n = Math.max(20, Math.min(2000, Number($<HTMLInputElement>('points').value) || 300));
  data = points ?? makeToy($<HTMLSelectElement>('problem').value as ToyProblem, n, 7, Math.max(0, Number($<HTMLInputElement>('noise').value) || 0));
  dataset = makeDataset(data);
  const hidden = Math.max(2, Math.min(256, Number($<HTMLInputElement>('hidden').value) || 32));
  model?.dispose();
  model = new Sequential([new Linear(2, hidden, { seed: 1 }), new ReLU(), new Linear(hidden, hidden, { seed: 2 }), new ReLU(), new Linear(hidden, data.classes, { seed: 3 })]);
  optimizer = new Adam(model.parameters(), { lr: Number($<HTMLInputElement>('toy-lr').value) || 0.03 });
  steps = 0;
  lastLoss = NaN;
  lastAccuracy = NaN;
  stopNote = '';
  lossChart.reset();
  accChart.reset();
  void draw();
}

function makeDataset(d: ToyData): TensorDataset {
  const n = d.ys.length;
  return new TensorDataset({ data: d.xs, shape: [n, 2] }, { data: d.ys, shape: [n], dtype: 'int32' });
}

/** Takes new points; the network trains on (a new one only when a class is added). */
function usePoints(next: ToyData): void {
  if (next.classes !== data.classes) {
    reset(next);
    return;
  }
  data = next;
  dataset = makeDataset(data);
  void draw();
}

async function draw(): Promise<void> {
  const probs = noGrad(() => tidy(() => softmax(model.forward(tensor(grid, [GRID * GRID, 2])), 1)));
  const p = await probs.data();
  probs.dispose();
  const k = data.classes;
  const img = ctx.createImageData(GRID, GRID);
  for (let c = 0; c < GRID * GRID; c++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p[c * k + j]! > p[c * k + best]!) best = j;
    const conf = (p[c * k + best]! - 1 / k) / (1 - 1 / k);
    const [r, g, b] = COLOURS[best]!;
    const a = 0.15 + 0.55 * conf;
    img.data[4 * c] = Math.round(255 * (1 - a) + r * a);
    img.data[4 * c + 1] = Math.round(255 * (1 - a) + g * a);
    img.data[4 * c + 2] = Math.round(255 * (1 - a) + b * a);
    img.data[4 * c + 3] = 255;
  }
  const off = new OffscreenCanvas(GRID, GRID);
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
  for (let i = 0; i < data.ys.length; i++) {
    const x = ((data.xs[2 * i]! + 1) / 2) * canvas.width;
    const y = ((1 - data.xs[2 * i + 1]!) / 2) * canvas.height;
    const [r, g, b] = COLOURS[data.ys[i]!]!;
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.strokeStyle = '#fff';
    ctx.beginPath();
    ctx.arc(x, y, 4, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  const acc = Number.isNaN(lastAccuracy) ? '–' : `${(100 * lastAccuracy).toFixed(1)}%`;
  $('toy-status').textContent =
    `${steps} steps · loss ${Number.isNaN(lastLoss) ? '–' : lastLoss.toFixed(4)} · accuracy ${acc} · ${data.ys.length} points · backend ${getBackendName()}${stopNote ? ` · ${stopNote}` : ''}`;
  app.dataset.steps = String(steps);
}

async function frame(): Promise<void> {
  if (!running || busy) return;
  busy = true;
  try {
    const rule = readStopRule() ?? {};
    const todo = rule.maxSteps === undefined ? STEPS_PER_FRAME : Math.max(1, Math.min(STEPS_PER_FRAME, rule.maxSteps - steps));
    const history = await fit(model, dataset, { loss: new CrossEntropyLoss(), optimizer, epochs: todo, batchSize: dataset.size, shuffle: false, metrics: ['accuracy'] });
    steps += todo;
    const last = history.epochs.at(-1);
    lastLoss = last?.loss ?? NaN;
    lastAccuracy = last?.accuracy ?? NaN;
    lossChart.push(0, steps, lastLoss);
    accChart.push(0, steps, lastAccuracy);
    lossChart.draw();
    accChart.draw();
    const why = stopReason(steps, lastAccuracy, rule);
    if (why) {
      stopNote = why;
      setRunning(false);
    }
    await draw();
  } finally {
    busy = false;
  }
  if (running) requestAnimationFrame(() => void frame());
}

function setRunning(on: boolean): void {
  if (on && !readStopRule()) return;
  if (on) stopNote = '';
  running = on;
  app.dataset.state = on ? 'training' : 'idle';
  $<HTMLButtonElement>('toy-start').disabled = on;
  $<HTMLButtonElement>('toy-pause').disabled = !on;
  if (on) requestAnimationFrame(() => void frame());
}

$('toy-start').addEventListener('click', () => setRunning(true));
canvas.addEventListener('click', (e) => {
  const r = canvas.getBoundingClientRect();
  const x = ((e.clientX - r.left) / r.width) * 2 - 1;
  const y = 1 - ((e.clientY - r.top) / r.height) * 2;
  usePoints(addPoint(data, x, y, Number($<HTMLSelectElement>('toy-class').value)));
});
$('toy-clear').addEventListener('click', () => {
  setRunning(false);
  // Two points of different classes to start from; the network needs both classes to mean anything.
  reset({ xs: Float32Array.of(-0.5, 0, 0.5, 0), ys: Int32Array.of(0, 1), classes: 2 });
});
$('toy-use-csv').addEventListener('click', () => {
  try {
    const points = parseToyCsv($<HTMLTextAreaElement>('toy-csv').value);
    $('toy-error').textContent = '';
    setRunning(false);
    reset(points);
  } catch (e) {
    $('toy-error').textContent = e instanceof Error ? e.message : String(e);
  }
});
$('toy-export').addEventListener('click', () => {
  canvas.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `scratchnet-playground-${steps}-steps.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
});
$('toy-pause').addEventListener('click', () => setRunning(false));
$('toy-reset').addEventListener('click', () => {
  setRunning(false);
  reset();
});
for (const id of ['problem', 'points', 'noise', 'hidden', 'toy-lr']) $(id).addEventListener('change', () => reset());
$<HTMLSelectElement>('toy-backend').addEventListener('change', (e) => {
  const name = (e.target as HTMLSelectElement).value;
  void (async () => {
    while (busy) await new Promise((r) => setTimeout(r, 10));
    await setBackend(name);
    await model.to(name);
    await optimizer.to(name);
    await draw();
  })();
});

async function start(): Promise<void> {
  const backends = await probeBackends();
  const select = $<HTMLSelectElement>('toy-backend');
  for (const b of backends) {
    const o = document.createElement('option');
    o.value = b.name;
    o.textContent = b.available ? b.name : `${b.name} (not available)`;
    o.disabled = !b.available;
    o.selected = b.name === getBackendName();
    select.append(o);
  }
  reset();
  app.dataset.state = 'idle';
}

void start();
