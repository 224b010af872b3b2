import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'hardening',
    include: ['test/**/*.test.ts'],
    // WebGPU in Node runs on Mesa's software Vulkan (lavapipe) unless a driver is chosen.
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/share/vulkan/icd.d/lvp_icd.json' },
    // Bounded by counts (graphs, steps), not by time; these limits only stop a hang on a loaded machine.
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
