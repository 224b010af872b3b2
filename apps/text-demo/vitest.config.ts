import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'text-demo',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
