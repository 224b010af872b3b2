import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-webgpu',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Dawn over Mesa's software Vulkan (lavapipe) when no explicit driver is chosen.
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/share/vulkan/icd.d/lvp_icd.json' },
    // Shader compilation on a software adapter is slow; first cases of a kernel pay for it.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
