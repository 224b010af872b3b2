// What a peer harness reads from its command line and how it hands results back: human-readable lines
// on stderr (so a harness run by hand shows them) and one JSON line on stdout for run-peer.mjs.

/** The line prefix that marks a harness's result on stdout. */
export const RESULT_PREFIX = 'PEER-RESULT ';

/**
 * Parses `--name value` pairs and bare `--flag`s.
 * @returns {{ threads: number, matmul: number[], conv: boolean, warmup: number, warmupMs: number, repeats: number, steps: string[] }}
 */
export function parseArgs(argv = process.argv.slice(2)) {
  const get = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  const list = (s) => (s ? s.split(',').filter(Boolean) : []);
  return {
    threads: Number(get('threads', '1')),
    matmul: list(get('matmul', '128,256,512,1024')).map(Number),
    conv: argv.includes('--conv'),
    warmup: Number(get('warmup', '2')),
    warmupMs: Number(get('warmup-ms', '0')),
    repeats: Number(get('repeats', '5')),
    steps: list(get('steps', '')),
  };
}

/** Prints a human-readable line (stderr, so stdout stays the result channel). */
export function say(line) {
  process.stderr.write(`${line}\n`);
}

/** Hands the result back and ends the process (peers' worker pools would keep it alive). */
export function emit(result) {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0));
}

/** Reports a failure as a result, so the bench prints it in place of the peer's figures. */
export function fail(peer, error) {
  emit({ peer, error: error instanceof Error ? error.message : String(error) });
}
