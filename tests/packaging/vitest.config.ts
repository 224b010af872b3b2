import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'packaging',
    include: ['test/**/*.test.ts'],
    // WebGPU in Node (the Node consumer's third backend) runs on Mesa's software Vulkan (lavapipe) unless a driver is chosen.
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/share/vulkan/icd.d/lvp_icd.json' },
    // Packing, npm install, tsc, two Vite builds and Chromium on a loaded two-core machine.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
