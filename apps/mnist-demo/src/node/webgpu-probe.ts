/**
 * Asks whether WebGPU can start here in a child process, so that Dawn (the `webgpu` package) is
 * loaded into the CLI only when WebGPU is actually used. Dawn writes driver notes straight to the
 * process's stderr (on Mesa's lavapipe: two "artificially reduced" limit warnings), which no
 * JavaScript can filter in-process; the child's stderr is read instead and only a failure reason
 * is kept.
 */
import { execFile } from 'node:child_process';
import type { BackendStatus } from '../shared/backends.js';

const CHILD = `
const core = await import(process.argv[1]);
await import(process.argv[2]);
let out;
try {
  await core.setBackend('webgpu');
  out = { name: 'webgpu', available: true, info: core.getBackend().info?.() ?? {} };
} catch (e) {
  const text = (e instanceof Error ? e.message : String(e)).split('\\n')[0] ?? '';
  out = { name: 'webgpu', available: false, reason: text.replace(/^backend '[^']*' is not available here: /, '') };
}
process.stdout.write(JSON.stringify(out) + '\\n', () => process.exit(0));
`;

/** Dawn's known-harmless notes on software Vulkan (lavapipe): limits it clamps to what it supports. */
export const HARMLESS_DAWN_LINES = /^Warning: maxDynamic\w+PerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

/** Starts the WebGPU backend in a child process and reports whether it worked, with its facts. */
export function probeWebGpuInChild(): Promise<BackendStatus> {
  const args = ['--input-type=module', '-e', CHILD, import.meta.resolve('@scratchnet/core'), import.meta.resolve('@scratchnet/backend-webgpu')];
  return new Promise((done) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        done(JSON.parse(line) as BackendStatus);
      } catch {
        const noise = stderr.split('\n').filter((l) => l.trim() !== '' && !HARMLESS_DAWN_LINES.test(l));
        done({ name: 'webgpu', available: false, reason: `the WebGPU probe failed: ${noise[0] ?? err?.message ?? 'no answer'}` });
      }
    });
  });
}
