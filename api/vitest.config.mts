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
    // The files of a worker share one module graph: loading Nest, MikroORM and the app's modules
    // again for every file was most of the suite's time (680 s → 282 s on a loaded CI machine).
    // Every file builds its own app on its own database, so what one could inherit from another
    // is process-wide state inside libraries (see createApp for nestjs-pino's).
    isolate: false,
  },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
