import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'backend-wasm', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
