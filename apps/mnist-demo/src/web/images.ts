/**
 * "Your own images" on the MNIST page: drop a folder with one sub-folder per class (or pick it),
 * train the CNN on it in the browser, classify a dropped picture, save the model (with its class
 * names, input shape and preprocessing) and load one back, refusing a model whose classes or
 * input shape do not match the images. Decoding uses the browser (createImageBitmap) through
 * @scratchnet/layers; the panel builds its own elements, so the page only has to mount it.
 */
import { getBackendName, tensor } from '@scratchnet/core';
import {
  Adam, CrossEntropyLoss, decodeImageBlob, fit, imageBytesToFloats, imageFolderDataset, loadImageFiles, loadModel, preprocessImage, saveModel,
  splitImageFolder, type ImageFolderData, type ImagePreprocessing, type Module,
} from '@scratchnet/layers';
import { firstLine } from '../shared/backends.js';
import { imageAugmentation, smallDataDefaults } from '../shared/images.js';
import { modelMetadata, savedPreprocessing, signatureMismatch, type DataSignature } from '../shared/model-meta.js';
import { buildModel, classify, probabilities } from '../shared/model.js';

/** What the end-to-end test can read: `window.mnistDemoImages`. */
export interface ImagePanelState {
  classes: string[];
  count: number;
  skipped: { path: string; reason: string }[];
  resized: string[];
  trainedEpochs: number;
  testAccuracy: number | null;
  prediction: { file: string; best: string; probabilities: number[] } | null;
  errors: string[];
  busy: boolean;
}

interface DroppedFile {
  path: string;
  file: File;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

/** Every file under the dropped items, with its path from the dropped folder (`shapes/cat/1.png`). */
async function droppedFiles(items: DataTransferItemList): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ path: `${prefix}${entry.name}`, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  for (const e of entries) await walk(e, '');
  return out;
}

/**
 * Builds the panel and appends it to `container`.
 *
 * @returns the panel's state (also on `window.mnistDemoImages`).
 */
export function mountImagePanel(container: HTMLElement): ImagePanelState {
  const state: ImagePanelState = { classes: [], count: 0, skipped: [], resized: [], trainedEpochs: 0, testAccuracy: null, prediction: null, errors: [], busy: false };
  (window as unknown as { mnistDemoImages: ImagePanelState }).mnistDemoImages = state;
  let data: ImageFolderData | null = null;
  let model: Module | null = null;

  const folderInput = el('input', { type: 'file', id: 'images-folder', multiple: true });
  folderInput.setAttribute('webkitdirectory', '');
  const channels = el('select', { id: 'images-channels' }, el('option', { value: '1', textContent: 'grayscale' }), el('option', { value: '3', textContent: 'RGB' }));
  const size = el('select', { id: 'images-size' }, ...[28, 32, 48, 64].map((s) => el('option', { value: String(s), textContent: `${s}×${s}` })));
  const fitMode = el('select', { id: 'images-fit' }, ...['pad', 'crop', 'stretch'].map((f) => el('option', { value: f, textContent: f })));
  const epochs = el('input', { type: 'number', id: 'images-epochs', min: '1', max: '200', placeholder: 'auto' });
  const trainButton = el('button', { id: 'images-train', textContent: 'Train on these images', disabled: true });
  const saveButton = el('button', { id: 'images-save', textContent: 'Download model', disabled: true });
  const loadInput = el('input', { type: 'file', id: 'images-load', accept: '.safetensors' });
  const predictInput = el('input', { type: 'file', id: 'images-predict', accept: 'image/*', disabled: true });
  const drop = el('div', { id: 'images-drop', className: 'dropzone', tabIndex: 0, textContent: 'Drop a folder here: one sub-folder of PNG or JPEG pictures per class (shapes/circle/1.png, shapes/square/2.jpg…)' });
  const status = el('p', { id: 'images-status', className: 'hint', textContent: 'No images yet.' });
  const details = el('ul', { id: 'images-report', className: 'hint' });
  const result = el('p', { id: 'images-result', className: 'status' });

  const panel = el(
    'section',
    { className: 'panel', id: 'images-panel' },
    el('h2', { textContent: 'Your own images' }),
    drop,
    el('div', { className: 'controls' },
      el('label', { className: 'file' }, 'Pick a folder ', folderInput),
      el('label', {}, 'channels ', channels),
      el('label', {}, 'size ', size),
      el('label', {}, 'fit ', fitMode),
      el('label', {}, 'epochs ', epochs)),
    el('div', { className: 'buttons' },
      trainButton, saveButton,
      el('label', { className: 'file' }, 'Load model ', loadInput),
      el('label', { className: 'file' }, 'Classify a picture ', predictInput)),
    status, details, result,
  );
  container.append(panel);

  const preprocessing = (): ImagePreprocessing => ({ channels: Number(channels.value) as 1 | 3, size: Number(size.value), fit: fitMode.value as ImagePreprocessing['fit'] });
  const signature = (): DataSignature | null => (data ? { classNames: data.classes, inputShape: [data.preprocessing.channels, data.preprocessing.size, data.preprocessing.size] } : null);
  const refresh = (): void => {
    trainButton.disabled = state.busy || !data;
    saveButton.disabled = state.busy || !model;
    predictInput.disabled = state.busy || !model;
  };
  const fail = (e: unknown): void => {
    const msg = firstLine(e);
    state.errors.push(msg);
    result.textContent = `Error: ${msg}`;
  };
  const busy = async (job: () => Promise<void>): Promise<void> => {
    state.busy = true;
    refresh();
    try {
      await job();
    } catch (e) {
      fail(e);
    } finally {
      state.busy = false;
      refresh();
    }
  };

  let files: DroppedFile[] = [];
  const read = (): Promise<void> =>
    busy(async () => {
      status.textContent = `Reading ${files.length} files…`;
      data = await loadImageFiles(files, preprocessing());
      Object.assign(state, { classes: [...data.classes], count: data.count, skipped: [...data.skipped], resized: [...data.resized] });
      const perClass = data.classes.map((c, i) => `${c}: ${data!.labels.filter((l) => l === i).length}`);
      const pre = data.preprocessing;
      status.textContent = `${data.count} images in ${data.classes.length} classes (${perClass.join(', ')}), read as ${pre.channels === 3 ? 'RGB' : 'grayscale'} ${pre.size}×${pre.size}.`;
      details.replaceChildren(
        ...data.resized.map((r) => el('li', { textContent: `resized (${pre.fit}): ${r}` })),
        ...data.skipped.map((s) => el('li', { textContent: `skipped ${s.path}: ${s.reason}` })),
      );
      result.textContent = '';
    });
  const take = (list: DroppedFile[]): void => {
    files = list;
    void read();
  };

  folderInput.addEventListener('change', () => take([...(folderInput.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }))));
  drop.addEventListener('dragover', (ev) => ev.preventDefault());
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    if (ev.dataTransfer) void droppedFiles(ev.dataTransfer.items).then(take, fail);
  });
  for (const s of [channels, size, fitMode]) s.addEventListener('change', () => files.length && void read());

  trainButton.addEventListener('click', () =>
    void busy(async () => {
      if (!data) return;
      const { train, validation } = splitImageFolder(data, 0.2, 1);
      const pre = data.preprocessing;
      const d = smallDataDefaults(train.count, pre.size, null);
      const n = Number(epochs.value) >= 1 ? Math.floor(Number(epochs.value)) : d.epochs;
      model?.dispose();
      model = buildModel('cnn', 1, pre.size, pre.channels, data.classes.length);
      const optimizer = new Adam(model.parameters(), { lr: 0.003 });
      const transform = imageAugmentation(d.shift, d.degrees);
      const testSet = imageFolderDataset(validation);
      try {
        for (let e = 0; e < n; e++) {
          await fit(model, imageFolderDataset(train, { transform, seed: 7919 + e }), {
            loss: new CrossEntropyLoss(), optimizer, epochs: 1, batchSize: d.batchSize, seed: e, metrics: ['accuracy'],
          });
          const r = await classify(model, testSet);
          state.trainedEpochs = e + 1;
          state.testAccuracy = r.accuracy;
          result.textContent = `epoch ${e + 1}/${n} on ${getBackendName()}: test accuracy ${(100 * r.accuracy).toFixed(1)}% (${validation.count} held-out images)`;
          await new Promise((r2) => setTimeout(r2, 0));
        }
      } finally {
        optimizer.dispose();
      }
    }),
  );

  saveButton.addEventListener('click', () =>
    void busy(async () => {
      const sig = signature();
      if (!model || !sig || !data) return;
      await saveModel(model, 'downloads://my-images', { metadata: modelMetadata(sig, data.preprocessing, { dataset: 'images' }) });
      result.textContent = 'Downloaded my-images.safetensors (with its class names, input shape and preprocessing).';
    }),
  );

  loadInput.addEventListener('change', () => {
    const file = loadInput.files?.[0];
    if (!file) return;
    void busy(async () => {
      const loaded = await loadModel(file);
      const sig = signature();
      const why = sig ? signatureMismatch(loaded.model, loaded.metadata, sig) : loaded.metadata?.classNames ? null : 'the file records no class names; drop the images it was trained on first';
      for (const t of Object.values(loaded.optimizerState?.slots ?? {}).flat()) t.dispose();
      if (why) {
        loaded.model.dispose();
        throw new Error(`${file.name}: refused: ${why}`);
      }
      const saved = savedPreprocessing(loaded.metadata);
      if (saved) {
        channels.value = String(saved.channels);
        size.value = String(saved.size);
        fitMode.value = saved.fit;
      }
      model?.dispose();
      model = await loaded.model.to(getBackendName());
      if (!data && loaded.metadata?.classNames) state.classes = [...loaded.metadata.classNames];
      result.textContent = `Loaded ${file.name} (classes: ${(loaded.metadata?.classNames ?? state.classes).join(', ')}).`;
    });
  });

  predictInput.addEventListener('change', () => {
    const file = predictInput.files?.[0];
    if (!file || !model) return;
    void busy(async () => {
      const pre = data?.preprocessing ?? preprocessing();
      const { data: bytes } = preprocessImage(await decodeImageBlob(file), pre);
      const x = tensor(imageBytesToFloats(bytes), [1, pre.channels, pre.size, pre.size]);
      const p = await probabilities(model!, x);
      x.dispose();
      const names = state.classes;
      const best = p.indexOf(Math.max(...p));
      state.prediction = { file: file.name, best: names[best] ?? String(best), probabilities: [...p] };
      result.textContent = `${file.name}: ${names[best] ?? best} (${[...p].map((v, i) => `${names[i] ?? i} ${(100 * v).toFixed(1)}%`).join(', ')})`;
    });
  });
  return state;
}
