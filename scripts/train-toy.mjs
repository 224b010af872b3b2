// `pnpm demo:toy [-- options]`: the 2-D toy workflow, which is `mnist-demo toy` (see
// `pnpm demo:toy -- --help`): trains the seed's small MLP on three interleaved spirals (or
// moons, circles, xor, blobs, or your own CSV) and writes the decision boundary as a PNG.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../apps/mnist-demo/dist/node/cli/main.js', import.meta.url));
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [cli, 'toy', ...(args[0] === '--' ? args.slice(1) : args)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
