import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'peer-bench',
    include: ['test/**/*.test.mjs'],
    // The harness tests start each peer (wasm compile, worker pools) on a loaded two-core machine.
    testTimeout: 180_000,
  },
});
