import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precacheServiceWorker } from './scripts/precache.ts';

export default defineConfig({
  // Every URL the build writes is relative (`./assets/…`, workers and lazy chunks resolved from
  // `import.meta.url`), so one dist/ works at `/` and under any sub-path without a rebuild (ADR 0026).
  // The dev server treats './' as '/'.
  base: './',
  // After the build, dist/sw.js: the service worker that precaches every built file (offline use).
  plugins: [react(), precacheServiceWorker()],
  // The simulation worker is an ES module so it can share the sim's `import` graph as-is.
  worker: { format: 'es' },
  // Pre-bundling these up front stops the dev server from discovering them late (for example the
  // lazily imported mermaid), re-optimizing and reloading the page mid-session.
  optimizeDeps: {
    include: ['react', 'react-dom', 'react-dom/client', 'comlink', 'zod', 'mermaid', '@xyflow/react', 'xstate', '@xstate/react', 'd3'],
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  // Mermaid's lazily loaded diagram chunks are large by nature; they never load up front.
  build: { chunkSizeWarningLimit: 1600 },
});
