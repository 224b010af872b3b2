import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'layers',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // WebGPU in Node runs on Mesa's software Vulkan (lavapipe) unless a driver is chosen; shaders compile slowly there.
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/share/vulkan/icd.d/lvp_icd.json' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
