/**
 * Training a language model for a number of optimizer steps on a token stream, with a held-out tail
 * for validation: the loop the CLI and the web page share (each reports progress its own way).
 */
import { TextWindows, evaluate, fit, type GPT, type LSTMLanguageModel, type OptimizerLike } from '@scratchnet/layers';
import { NextTokenLoss } from './sequence-loss.js';

/** How to train. */
export interface TrainSettings {
  steps: number;
  /** Windows per batch. */
  batch: number;
  /** Batches per optimizer step (an effective batch of accumulate × batch). */
  accumulate: number;
  context: number;
  /** Seed of the batch order. */
  seed: number;
}

/** The training windows and the held-out ones (the last tenth of the stream, at most `maxValWindows` windows of it). */
export function splitStream(ids: readonly number[], context: number, maxValWindows = 2048): { train: TextWindows; val: TextWindows } {
  const cut = Math.floor(ids.length * 0.9);
  return {
    train: new TextWindows(ids.slice(0, cut), context),
    val: new TextWindows(ids.slice(cut, Math.min(ids.length, cut + maxValWindows + context)), context),
  };
}

/** What {@link trainSteps} reports after each optimizer step. */
export interface StepReport {
  /** Optimizer steps done (1-based). */
  step: number;
  /** Training loss of the last batch. */
  loss: number;
  /** Tokens per second since training began. */
  tokensPerSecond: number;
}

/**
 * Runs `settings.steps` optimizer steps (or until `signal` aborts) over `train`, calling `onStep`
 * after each (awaited: a page can yield, pause, or move the model to another backend there).
 * Gradients are clipped to norm 1. Returns the number of steps done.
 */
export async function trainSteps(
  model: GPT | LSTMLanguageModel, train: TextWindows, optimizer: OptimizerLike, settings: TrainSettings,
  onStep: (report: StepReport) => void | Promise<void>, signal?: AbortSignal,
): Promise<number> {
  const { steps, batch, accumulate, seed } = settings;
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  signal?.addEventListener('abort', abort);
  const epochs = Math.ceil((steps * accumulate) / train.batchCount(batch));
  let batches = 0;
  let done = 0;
  const started = performance.now();
  try {
    await fit(model, train, {
      loss: new NextTokenLoss(), optimizer, epochs, batchSize: batch, accumulateSteps: accumulate, seed, clipNorm: 1, signal: stop.signal,
      onBatchEnd: async (logs) => {
        batches++;
        if (batches % accumulate !== 0) return;
        done = batches / accumulate;
        const seconds = (performance.now() - started) / 1000;
        await onStep({ step: done, loss: logs.loss, tokensPerSecond: (batches * batch * train.contextLength) / Math.max(seconds, 1e-9) });
        if (done >= steps) stop.abort();
      },
    });
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  return done;
}

/** Mean next-token loss (nats per token) over `windows`. */
export async function validationLoss(model: GPT | LSTMLanguageModel, windows: TextWindows, batchSize = 64): Promise<number> {
  return (await evaluate(model, windows, { loss: new NextTokenLoss(), batchSize })).loss;
}
