#!/usr/bin/env node
/**
 * `mnist-demo`: trains MNIST (or your own images) in the terminal on any ScratchNet backend;
 * `mnist-demo toy` trains the 2-D toy and draws its decision boundary. Errors in the input end
 * the run with one line on stderr and exit code 2; anything else that goes wrong with one line
 * and exit code 1 (set MNIST_DEMO_DEBUG=1 for the stack trace).
 */
import '../shared/register-backends.js';
import { ScratchNetError } from '@scratchnet/core';
import { FileFormatError } from '@scratchnet/layers';
import { HELP, parseCli } from './args.js';
import { InputError } from '../node/idx-dir.js';
import { run } from './run.js';
import { TOY_HELP, parseToyCli, runToy } from './toy.js';

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
  const raw = process.argv.slice(2);
  // `pnpm demo -- --help` hands the script a leading `--`.
  const argv = raw[0] === '--' ? raw.slice(1) : raw;
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  if (argv[0] === 'toy') {
    const toy = parseToyCli(argv.slice(1));
    if (toy.help) process.stdout.write(TOY_HELP);
    else await runToy(toy, print);
  } else {
    const options = parseCli(argv);
    if (options.help) process.stdout.write(HELP);
    else await run(options, print);
  }
} catch (e) {
  fail(e);
}
