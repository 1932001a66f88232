import { readFileSync } from 'node:fs';
import { defaultClientConditions, defineConfig } from 'vite';

const workflow = new URL('../workflows/order-total.json', import.meta.url);

// Library build of weft.js (plus its lazily loaded chunks) into dist/, next to the page and the
// example workflow, which are copied as they are.
export default defineConfig({
  // `source` resolves the workspace packages to their TypeScript sources, so no prior build is needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: { entry: { weft: 'weft.js' }, formats: ['es'] },
    rollupOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
  },
  plugins: [
    {
      name: 'copy-page',
      generateBundle() {
        this.emitFile({
          type: 'asset',
          fileName: 'index.html',
          source: readFileSync(new URL('./index.html', import.meta.url), 'utf8'),
        });
        const { $schema: _schema, ...wf } = JSON.parse(readFileSync(workflow, 'utf8'));
        this.emitFile({ type: 'asset', fileName: 'workflow.json', source: JSON.stringify(wf, null, 2) });
      },
    },
  ],
  // `npm run preview`: the page on http://localhost:5170, /api forwarded to examples/saas-backend.
  preview: { port: 5170, proxy: { '/api': 'http://localhost:4000' } },
});
