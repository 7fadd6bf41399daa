/**
 * Builds the dashboard into dist/web, which the Nest app serves at /. Preact's JSX runtime is set here for
 * Oxc (Vite 8's transformer), so no framework plugin is needed.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  // Relative asset URLs keep the build working behind a reverse proxy that mounts it under a path.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The whole app is small; one chunk loads faster than a waterfall.
    chunkSizeWarningLimit: 150,
  },
  server: {
    // `npx vite --config web/vite.config.ts` against an orchestrator on the default port.
    proxy: { '/api': 'http://127.0.0.1:3250' },
  },
});
