#!/usr/bin/env node
/**
 * `text-demo`: trains a small GPT (or an LSTM) on English first names or the Brown corpus, then
 * samples from it. A bad command line ends with one line on stderr and exit code 2; anything else
 * that goes wrong with one line and exit code 1 (TEXT_DEMO_DEBUG=1 prints the stack).
 */
import '../shared/register-backends.js';
import { ScratchNetError } from '@scratchnet/core';
import { FileFormatError } from '@scratchnet/layers';
import { HELP, UsageError, parseCli } from './args.js';
import { run } from './run.js';

function fail(e: unknown): never {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';
  process.stderr.write(`text-demo: ${message}\n`);
  if (process.env.TEXT_DEMO_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(e instanceof UsageError || e instanceof FileFormatError || e instanceof ScratchNetError ? 2 : 1);
}

process.on('unhandledRejection', fail);
process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : fail(e)));

try {
  const raw = process.argv.slice(2);
  const argv = raw[0] === '--' ? raw.slice(1) : raw;
  const options = parseCli(argv);
  if (options.help) process.stdout.write(HELP);
  else {
    // The progress line is redrawn in place on a terminal only; piped output gets the evaluation lines.
    const tty = process.stdout.isTTY === true;
    const live = {
      update: (text: string): void => void (tty && process.stdout.write(`\r${text}\x1b[K`)),
      clear: (): void => void (tty && process.stdout.write('\r\x1b[K')),
    };
    await run(options, (line) => void process.stdout.write(`${line}\n`), live);
  }
} catch (e) {
  fail(e);
}
