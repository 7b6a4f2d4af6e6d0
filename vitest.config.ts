import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.mjs';

const dirname = path.dirname(fileURLToPath(import.meta.url));

// Debian's Chromium (e2e/chromium.mjs says why), the same binary and flags as the e2e scripts.
const chromium = playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } });

// A fresh object per project: Vitest writes each instance's resolved name back into it, so sharing
// one between projects makes both claim the same name.
const browser = () => ({
  enabled: true,
  headless: true,
  provider: chromium,
  instances: [{ browser: 'chromium' as const }],
});

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Browser tests import these; pre-bundling them avoids a mid-run re-optimize and page reload.
    optimizeDeps: {
      include: ['vitest-browser-react', 'react/jsx-dev-runtime', 'storybook/test'],
    },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'node',
            include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
            exclude: ['**/node_modules/**', 'src/**/*.browser.test.ts', 'src/**/*.browser.test.tsx'],
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['src/**/*.browser.test.ts', 'src/**/*.browser.test.tsx'],
            browser: browser(),
          },
        },
        {
          extends: true,
          plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
          test: { name: 'storybook', browser: browser() },
        },
      ],
    },
  }),
);
