import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  base: './',
  // weft-* tags are the Weft custom elements, not Vue components
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('weft-') } } })],
  // `source` resolves the Weft workspace packages to their TypeScript sources: no prior build needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // CodeMirror (the code node's editor) is one lazily loaded ~500 KB chunk
  build: { target: 'es2022', chunkSizeWarningLimit: 600 },
  // `/api` (the embed token endpoint) goes to examples/saas-backend, in dev and in preview.
  server: { port: 5172, proxy: { '/api': 'http://localhost:4000' } },
  preview: { port: 5172, proxy: { '/api': 'http://localhost:4000' } },
});
