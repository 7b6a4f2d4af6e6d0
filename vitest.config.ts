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

// Budgets are set for a loaded 2-core machine, not for a fast laptop. Vitest's 5 s default was hit by
// the fuzz sweep (dozens of full cluster runs), the workbench's rate-limit run and the CLI tests
// when another suite shared the cores, so one test's budget is a minute: a real hang still fails,
// but a slow machine does not. The limits are per test; no test measures speed (docs/BENCHMARKS.md
// does that).
const TEST_TIMEOUT_MS = 60_000;

// Browser tests wait on state (the run status, the playhead, an event count) rather than on time.
// Vitest's default of 1 s for expect.poll and expect.element is a wall-clock window that a
// throttled Chromium can miss, so a condition gets 20 s to become true before the test fails.
const BROWSER_EXPECT = { poll: { timeout: 20_000 } };

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
            testTimeout: TEST_TIMEOUT_MS,
            hookTimeout: TEST_TIMEOUT_MS,
            include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
            exclude: ['**/node_modules/**', 'src/**/*.browser.test.ts', 'src/**/*.browser.test.tsx'],
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['src/**/*.browser.test.ts', 'src/**/*.browser.test.tsx'],
            testTimeout: TEST_TIMEOUT_MS,
            hookTimeout: TEST_TIMEOUT_MS,
            expect: BROWSER_EXPECT,
            browser: browser(),
          },
        },
        {
          extends: true,
          plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
          // A story's play function runs as one test; it gets the same budget as the browser tests.
          test: { name: 'storybook', browser: browser(), testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS, expect: BROWSER_EXPECT },
        },
      ],
    },
  }),
);
