import type { StorybookConfig } from '@storybook/react-vite';
import { mergeConfig } from 'vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // TypeScript 7 is the native compiler with no JS API, so react-docgen-typescript cannot load.
  typescript: { reactDocgen: 'react-docgen' },
  // Storybook's own preview bundle is over a megabyte by design; only warn about truly huge chunks.
  viteFinal: (viteConfig) => mergeConfig(viteConfig, { build: { chunkSizeWarningLimit: 1600 } }),
};

export default config;
