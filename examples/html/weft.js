// The only file the build bundles: the three Weft packages as one browser ES module. Importing it
// registers <weft-canvas>, <weft-node-palette>, <weft-inspector>, <weft-execution-view> and
// <weft-code-editor>. A page without a bundler could load the packages' own browser builds
// (@weft/canvas/browser, @weft/embed/browser) from a CDN instead.
import '@weft/canvas/define';

export { mountWeft } from '@weft/embed';
export { builtinNodeTypes, NodeRegistry, validateWorkflow } from '@weft/engine';
