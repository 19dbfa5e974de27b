import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each integration file creates its own database; two at a time keeps the 2-core machine busy without thrashing.
    maxWorkers: 2,
  },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
