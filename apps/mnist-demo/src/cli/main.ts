#!/usr/bin/env node
/**
 * `mnist-demo`: trains MNIST in the terminal on any ScratchNet backend. Errors in the input end
 * the run with one line on stderr and exit code 2; anything else that goes wrong with one line
 * and exit code 1 (set MNIST_DEMO_DEBUG=1 for the stack trace).
 */
import '../shared/register-backends.js';
import { ScratchNetError } from '@scratchnet/core';
import { FileFormatError } from '@scratchnet/layers';
import { HELP, parseCli } from './args.js';
import { InputError } from '../node/idx-dir.js';
import { run } from './run.js';

function fail(e: unknown): never {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';
  process.stderr.write(`mnist-demo: ${message}\n`);
  if (process.env.MNIST_DEMO_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(e instanceof InputError || e instanceof FileFormatError || e instanceof ScratchNetError ? 2 : 1);
}

process.on('unhandledRejection', fail);
// Output piped into a program that stops reading (| head) ends the run quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : fail(e)));

try {
  const argv = process.argv.slice(2);
  // `pnpm demo -- --help` hands the script a leading `--`.
  const options = parseCli(argv[0] === '--' ? argv.slice(1) : argv);
  if (options.help) process.stdout.write(HELP);
  else await run(options, (line) => process.stdout.write(`${line}\n`));
} catch (e) {
  fail(e);
}
