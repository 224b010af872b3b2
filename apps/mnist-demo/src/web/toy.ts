/**
 * The 2-D playground: a toy problem's points, a small MLP trained live (full-batch Adam steps on
 * the active backend), and its decision boundary as a heat map, redrawn every frame.
 */
import '../shared/register-backends.js';
import { getBackendName, noGrad, setBackend, softmax, tensor, tidy } from '@scratchnet/core';
import { Adam, CrossEntropyLoss, Linear, ReLU, Sequential, TensorDataset, fit } from '@scratchnet/layers';
import { probeBackends } from '../shared/backends.js';
import { makeToy, type ToyData, type ToyProblem } from '../shared/toy.js';

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
let busy = false;

const grid = new Float32Array(GRID * GRID * 2);
for (let j = 0; j < GRID; j++) {
  for (let i = 0; i < GRID; i++) {
    grid[2 * (j * GRID + i)] = ((i + 0.5) / GRID) * 2 - 1;
    grid[2 * (j * GRID + i) + 1] = 1 - ((j + 0.5) / GRID) * 2;
  }
}

function reset(): void {
  const n = Math.max(20, Math.min(2000, Number($<HTMLInputElement>('points').value) || 300));
  data = makeToy($<HTMLSelectElement>('problem').value as ToyProblem, n, 7, Math.max(0, Number($<HTMLInputElement>('noise').value) || 0));
  dataset = new TensorDataset({ data: data.xs, shape: [n, 2] }, { data: data.ys, shape: [n], dtype: 'int32' });
  const hidden = Math.max(2, Math.min(256, Number($<HTMLInputElement>('hidden').value) || 32));
  model = new Sequential([new Linear(2, hidden, { seed: 1 }), new ReLU(), new Linear(hidden, hidden, { seed: 2 }), new ReLU(), new Linear(hidden, data.classes, { seed: 3 })]);
  optimizer = new Adam(model.parameters(), { lr: Number($<HTMLInputElement>('toy-lr').value) || 0.03 });
  steps = 0;
  lastLoss = NaN;
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
  $('toy-status').textContent = `${steps} steps · loss ${Number.isNaN(lastLoss) ? '–' : lastLoss.toFixed(4)} · backend ${getBackendName()}`;
  app.dataset.steps = String(steps);
}

async function frame(): Promise<void> {
  if (!running || busy) return;
  busy = true;
  try {
    const history = await fit(model, dataset, { loss: new CrossEntropyLoss(), optimizer, epochs: STEPS_PER_FRAME, batchSize: dataset.size, shuffle: false });
    steps += STEPS_PER_FRAME;
    lastLoss = history.epochs.at(-1)?.loss ?? NaN;
    await draw();
  } finally {
    busy = false;
  }
  if (running) requestAnimationFrame(() => void frame());
}

function setRunning(on: boolean): void {
  running = on;
  app.dataset.state = on ? 'training' : 'idle';
  $<HTMLButtonElement>('toy-start').disabled = on;
  $<HTMLButtonElement>('toy-pause').disabled = !on;
  if (on) requestAnimationFrame(() => void frame());
}

$('toy-start').addEventListener('click', () => setRunning(true));
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
