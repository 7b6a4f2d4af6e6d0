// End-to-end check of the built app (`npm run build` first; `npm run ci` does): serve dist/ with
// `vite preview`, drive it in real Chromium like a person would, and fail on any error the page shows
// or logs. Screenshots go to e2e/artifacts/ for a human to look at.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { assert, launchBrowser, root, runTests, startPreview, watchForProblems } from './lib.mjs';

const ARTIFACTS = path.join(root, 'e2e', 'artifacts');
const VIEWPORT = { width: 1280, height: 720 };

const eventCount = (page) =>
  page.getByTestId('event-count').getAttribute('data-value').then((value) => Number(value));

/** Waits until `predicate(eventCount)` holds, polling; fails with the last count seen. */
async function waitForCount(page, predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last = NaN;
  while (Date.now() < deadline) {
    last = await eventCount(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; last event count was ${last}`);
}

/** Opens the app, checks the seed, presses Run and checks that events arrive and keep arriving. */
async function runTheApp(browser, url, { runtime, screenshot, colorScheme = 'light' }) {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Switchboard' }).waitFor();

    const seedInput = page.getByLabel('Seed');
    await seedInput.waitFor();
    assert((await seedInput.inputValue()) === '42', `the seed input shows ${await seedInput.inputValue()}, not 42`);
    assert((await page.getByTestId('seed').textContent()) === '42', 'the status panel does not show seed 42');

    const run = page.getByRole('button', { name: 'Run' });
    await run.click({ timeout: 10_000 });
    const first = await waitForCount(page, (n) => n > 0, 'the first events');
    const status = await page.getByTestId('run-status').textContent();
    if (status !== 'Finished') await waitForCount(page, (n) => n > first, 'the event count to grow');

    const label = await page.getByTestId('runtime').textContent();
    assert(label === runtime, `runtime label is '${label}', expected '${runtime}'`);
    const hash = await page.getByTestId('trace-hash').textContent();
    assert(/^[0-9a-f]+$/.test(hash ?? ''), `trace hash '${hash}' is not hex`);
    assert((await page.getByTestId('event-list').locator('tbody tr').count()) > 0, 'the event list is empty');

    if (screenshot) {
      // Pause first so the picture shows a settled state rather than a frame mid-update.
      const pause = page.getByRole('button', { name: 'Pause' });
      if (await pause.count()) await pause.click();
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, screenshot), fullPage: true });
    }
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

let server;
let browser;
let code = 1;
try {
  server = await startPreview({ port: 4173 });
  browser = await launchBrowser();
  console.log(`e2e: ${server.url} in Chromium ${browser.version()}`);
  code = await runTests([
    ['runs the seeded simulation in a Web Worker', () => runTheApp(browser, server.url, { runtime: 'Worker', screenshot: 'app.png' })],
    [
      'runs on the main thread with ?worker=0 (dark scheme)',
      () => runTheApp(browser, `${server.url}?worker=0`, { runtime: 'Main thread', screenshot: 'app-dark.png', colorScheme: 'dark' }),
    ],
  ]);
} catch (error) {
  console.error(`e2e: setup failed: ${error?.stack ?? error}`);
  console.log('e2e: 0 passed, 1 failed');
  code = 1;
} finally {
  await browser?.close();
  server?.stop();
}
process.exit(code);
