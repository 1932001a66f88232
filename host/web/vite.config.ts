import { defineConfig } from 'vite';

/** The host's web app: built into host/web/dist, which the host serves at `/` with SPA fallback. */
export default defineConfig({
  root: '.',
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
