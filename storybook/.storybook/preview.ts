import type { Preview } from '@storybook/web-components-vite';
import { addons } from 'storybook/preview-api';
import '@weft/canvas/define';

// Record each story's outcome on the document so the Playwright suite (e2e/storybook.spec.ts)
// can run every story's play function and read whether it passed.
const channel = addons.getChannel();
const mark = (status: string, detail = '') => {
  document.documentElement.dataset.storyStatus = status;
  document.documentElement.dataset.storyDetail = detail;
};
channel.on('storyRendered', () => {
  if (document.documentElement.dataset.storyStatus !== 'failed') mark('passed');
});
channel.on('storyRenderPhaseChanged', ({ newPhase }: { newPhase: string }) => {
  if (newPhase === 'playing' || newPhase === 'rendering' || newPhase === 'loading') mark('running');
});
channel.on('playFunctionThrewException', (e: { message?: string }) => mark('failed', e?.message ?? 'play failed'));
channel.on('storyThrewException', (e: { message?: string }) => mark('failed', e?.message ?? 'story threw'));
channel.on('storyErrored', (e: { title?: string; description?: string }) =>
  mark('failed', e?.description ?? 'story errored'),
);

const preview: Preview = {
  parameters: { layout: 'fullscreen', controls: { expanded: true } },
};

export default preview;
