import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'backend-js', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
