import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** Prints the ESM min+gzip size of the canvas bundle, not counting lazily loaded chunks (CodeMirror, dagre, sandbox). */
function reportSize(outDir: string): Plugin {
  return {
    name: 'weft-report-size',
    apply: 'build',
    closeBundle() {
      const files = readdirSync(outDir).filter((f) => f.endsWith('.js'));
      const entry = readFileSync(join(outDir, 'weft-canvas.js'), 'utf8');
      const eager = new Set(['weft-canvas.js']);
      for (const m of entry.matchAll(/^import\s*(?:[^'"]*from\s*)?["']\.\/([^"']+)["']/gm)) if (m[1]) eager.add(m[1]);
      let min = 0;
      let gz = 0;
      let lazyGz = 0;
      const rows: string[] = [];
      for (const f of files) {
        const buf = readFileSync(join(outDir, f));
        const g = gzipSync(buf, { level: 9 }).length;
        const lazy = !eager.has(f);
        rows.push(
          `  ${lazy ? 'lazy ' : 'main '} ${f.padEnd(40)} ${(statSync(join(outDir, f)).size / 1024).toFixed(1).padStart(8)} KB  ${(g / 1024).toFixed(1).padStart(7)} KB gz`,
        );
        if (!lazy) {
          min += buf.length;
          gz += g;
        } else if (!f.startsWith('codemirror')) lazyGz += g;
      }
      console.log(`\n@weft/canvas bundle (ESM, minified):\n${rows.sort().join('\n')}`);
      console.log(
        `\ncanvas bundle without CodeMirror: ${(min / 1024).toFixed(1)} KB min, ${(gz / 1024).toFixed(1)} KB min+gzip (target <= 120 KB)`,
      );
      console.log(
        `main + every lazy chunk except CodeMirror (dagre layout; expression preview with the QuickJS wasm inlined): ${((gz + lazyGz) / 1024).toFixed(1)} KB min+gzip\n`,
      );
    },
  };
}

export default defineConfig(({ mode }) => ({
  resolve: { conditions: ['source', 'module', 'browser', 'import', 'default'] },
  ...(mode === 'demo'
    ? { root: 'demo', base: './', build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' } }
    : {
        build: {
          outDir: 'dist/browser',
          emptyOutDir: true,
          target: 'es2022',
          minify: true,
          lib: { entry: { 'weft-canvas': 'src/browser.ts' }, formats: ['es'] },
          rollupOptions: { output: { chunkFileNames: '[name]-[hash].js' } },
        },
        plugins: [reportSize('dist/browser')],
      }),
}));
