import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // Workspace packages are read from source (their `source` export condition), so Storybook
    // needs no prior build of @weft/canvas or @weft/engine.
    return {
      ...viteConfig,
      resolve: {
        ...viteConfig.resolve,
        conditions: ['source', 'module', 'browser', 'import', 'default'],
      },
    };
  },
};

export default config;
