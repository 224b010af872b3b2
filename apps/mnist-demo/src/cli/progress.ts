/**
 * The live progress bar of an epoch (cli-progress, on stderr so stdout stays a clean log). It
 * draws only when stderr is a terminal; the per-epoch summary lines go to stdout either way.
 */
import cliProgress from 'cli-progress';
import type { BatchLogs } from '@scratchnet/layers';

/** A progress bar for one epoch after another. */
export class EpochProgress {
  private readonly bar: cliProgress.SingleBar;
  private running = false;

  constructor(private readonly epochs: number) {
    this.bar = new cliProgress.SingleBar(
      {
        format: ' epoch {epoch}/{epochs} {backend} |{bar}| {value}/{total} batches | loss {loss} | acc {acc} | {sps} samples/s | ETA {eta_formatted}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        stopOnComplete: false,
        etaBuffer: 20,
        fps: 10,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  /** Starts the bar for `epoch` (0-based) of `batches` batches. */
  start(epoch: number, batches: number, backend: string): void {
    this.stop();
    this.bar.start(batches, 0, { epoch: epoch + 1, epochs: this.epochs, backend, loss: '-', acc: '-', sps: '-' });
    this.running = true;
  }

  /** Moves the bar after a batch. */
  update(logs: BatchLogs): void {
    if (!this.running) return;
    this.bar.update(logs.batch, {
      loss: logs.loss.toFixed(4),
      acc: logs.accuracy === undefined ? '-' : `${(100 * logs.accuracy).toFixed(1)}%`,
      sps: Math.round(logs.samplesPerSecond).toString(),
    });
  }

  /** Removes the bar (before a summary line is printed). */
  stop(): void {
    if (this.running) this.bar.stop();
    this.running = false;
  }
}
