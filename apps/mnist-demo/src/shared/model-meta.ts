/**
 * What a saved model says about itself (class names, input shape, preprocessing) and the checks
 * that keep a model from being used on data it was not made for. Shared by the CLI and the web app.
 */
import { tidy, zeros, noGrad } from '@scratchnet/core';
import type { ImagePreprocessing, LoadedModel, ModelMetadata, Module } from '@scratchnet/layers';

/** What a model is used on: its class names and one input's shape `[channels, size, size]`. */
export interface DataSignature {
  readonly classNames: readonly string[];
  readonly inputShape: readonly [number, number, number];
}

/** The MNIST digits' signature. */
export const MNIST_SIGNATURE: DataSignature = { classNames: Array.from({ length: 10 }, (_, i) => String(i)), inputShape: [1, 28, 28] };

/** The metadata the demo saves with a model. */
export function modelMetadata(sig: DataSignature, pre: ImagePreprocessing, extra: Record<string, unknown> = {}): ModelMetadata {
  return {
    classNames: [...sig.classNames],
    inputShape: [...sig.inputShape],
    preprocessing: { channels: pre.channels, size: pre.size, fit: pre.fit, scale: '0..1 (byte / 255)' },
    ...extra,
  };
}

/** The preprocessing a model's metadata records, or null when it records none (or an unusable one). */
export function savedPreprocessing(meta: ModelMetadata | undefined): ImagePreprocessing | null {
  const p = meta?.preprocessing as { channels?: unknown; size?: unknown; fit?: unknown } | undefined;
  if (!p || (p.channels !== 1 && p.channels !== 3) || !Number.isInteger(p.size) || !['pad', 'crop', 'stretch'].includes(p.fit as string)) return null;
  return { channels: p.channels, size: p.size as number, fit: p.fit as ImagePreprocessing['fit'] };
}

const describeSig = (classes: readonly string[], shape: readonly number[]): string => {
  const names = classes.length > 12 ? `${classes.slice(0, 12).join(', ')}, …` : classes.join(', ');
  return `${classes.length} classes (${names}) of ${shape.join('×')} inputs`;
};

/**
 * Why `model` cannot be used on data with signature `sig`, or null when it can. Uses the model's
 * metadata when it has some; otherwise runs one zero input through it to see what it takes and
 * how many classes it gives.
 */
export function signatureMismatch(model: Module, meta: ModelMetadata | undefined, sig: DataSignature): string | null {
  const want = describeSig(sig.classNames, sig.inputShape);
  if (meta?.classNames || meta?.inputShape) {
    const classes = meta.classNames ?? [];
    const shape = meta.inputShape ?? [];
    const sameClasses = !meta.classNames || (classes.length === sig.classNames.length && classes.every((c, i) => c === sig.classNames[i]));
    const sameShape = !meta.inputShape || (shape.length === 3 && shape.every((d, i) => d === sig.inputShape[i]));
    if (sameClasses && sameShape) return null;
    return `the model was trained on ${describeSig(classes, shape)}, but the data has ${want}`;
  }
  // A file from before models carried metadata: try it.
  let out: number[];
  try {
    out = noGrad(() =>
      tidy(() => {
        const wasTraining = model.training;
        model.eval();
        try {
          return [...model.forward(zeros([1, ...sig.inputShape])).shape];
        } finally {
          model.train(wasTraining);
        }
      }),
    );
  } catch (e) {
    return `the model does not take ${sig.inputShape.join('×')} inputs (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`;
  }
  if (out.length !== 2 || out[1] !== sig.classNames.length) return `the model gives ${out.slice(1).join('×')} outputs per input, but the data has ${want}`;
  return null;
}

/** The metadata the demo saves with an MNIST model. */
export const MNIST_METADATA: ModelMetadata = modelMetadata(MNIST_SIGNATURE, { channels: 1, size: 28, fit: 'pad' }, { dataset: 'mnist' });

/**
 * The loaded model when it fits MNIST; otherwise disposes what was loaded and throws an Error
 * saying why (e.g. a model trained on your own images in the CLI).
 */
export function mnistModelOrRefuse(loaded: LoadedModel, from: string): Module {
  const why = signatureMismatch(loaded.model, loaded.metadata, MNIST_SIGNATURE);
  for (const t of Object.values(loaded.optimizerState?.slots ?? {}).flat()) t.dispose();
  if (why) {
    loaded.model.dispose();
    throw new Error(`${from}: refused: ${why}; use "Your own images" below for it`);
  }
  return loaded.model;
}
