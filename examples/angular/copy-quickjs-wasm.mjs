// The inspector's expression preview runs QuickJS (through @weft/engine), whose loader fetches
// `emscripten-module.wasm` next to its chunk via `new URL(..., import.meta.url)`. Vite copies such
// files by itself; Angular's builder does not and only copies assets from inside this folder, so
// the build copies the file into dist/ after `ng build`.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const fromEngine = createRequire(import.meta.resolve('@weft/engine'));
const wasm = fromEngine.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
copyFileSync(wasm, new URL('./dist/emscripten-module.wasm', import.meta.url));
