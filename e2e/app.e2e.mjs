// End-to-end check of the built app (`npm run build` first; `npm run ci` does): the initial-JS
// budget, then `vite preview` driven in real Chromium like a person would at a 1280×720 projector.
// Any error the page shows or logs fails the run. Screenshots go to e2e/artifacts/ for a human to
// look at. Every wait is on the page's state (the status, the playhead, a count), never on a window
// of wall time, so a slow or busy machine makes the run slower but not red; how fast the app is
// belongs to the browser benchmark (bench/browser.mjs, docs/BENCHMARKS.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { checkBudget } from './budget.mjs';
import { assert, launchBrowser, root, runTests, startPreview, watchForProblems, writeResults } from './lib.mjs';

const ARTIFACTS = path.join(root, 'e2e', 'artifacts');
const VIEWPORT = { width: 1280, height: 720 };

// How long any one wait may take before the check fails. It is there to turn a hang into a failure,
// not to judge speed: a loaded 2-core machine runs this several times slower than an idle one, and
// a condition that is merely late must not fail the suite.
const WAIT_MS = 60_000;

const eventCount = (page) => page.getByTestId('event-count').getAttribute('data-value').then(Number);
const simSeconds = (page) => page.getByTestId('sim-time').textContent().then((t) => Number.parseFloat(t ?? '0'));

/** Polls `probe` until `predicate` holds; fails with the last value seen. */
async function waitUntil(probe, predicate, what, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
}

const shot = async (page, name) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
};

/** Opens the app on a run and waits until it is loaded. */
async function open(browser, url, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme, acceptDownloads: true });
  // Playwright's own waits (clicks, waitFor) get the same budget instead of its 30 s default.
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(url, { waitUntil: 'load' });
  await page.getByRole('heading', { name: 'Switchboard' }).waitFor();
  await waitUntil(() => page.getByRole('button', { name: 'Play' }).isEnabled(), Boolean, 'the run to load');
  return { context, page, problems };
}

/**
 * Plays at the current speed until the playhead passes `seconds`, then pauses. Only for a point
 * well before the scenario's end: there the Pause button stays up however slowly the page polls.
 * To reach the end, use playToEnd instead of racing a click against the run's own stop.
 */
async function playUntil(page, seconds) {
  await page.getByRole('button', { name: 'Play' }).click();
  await waitUntil(() => simSeconds(page), (s) => s >= seconds, `the playhead to pass ${seconds} s`);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByTestId('run-status').filter({ hasText: 'Paused' }).waitFor();
}

/**
 * Plays to the scenario's end (`endSeconds`, its duration plus settle time), where the run pauses
 * itself: waits for that state instead of clicking Pause in a window of wall time.
 */
async function playToEnd(page, endSeconds) {
  await page.getByRole('button', { name: 'Play' }).click();
  await waitUntil(() => simSeconds(page), (s) => s >= endSeconds, `the playhead to reach the end at ${endSeconds} s`);
  await page.getByTestId('run-status').filter({ hasText: 'Paused' }).waitFor();
  await page.getByRole('button', { name: 'Play' }).waitFor();
  assert((await simSeconds(page)) === endSeconds, `the run did not stop at its end (${endSeconds} s)`);
}

/** Sets the speed slider to a value from the list (`20×`). */
async function setSpeed(page, label) {
  const slider = page.getByLabel('Speed');
  for (let i = 0; i < 15 && (await page.locator('.speed-value').textContent()) !== label; i++) {
    const now = Number.parseFloat((await page.locator('.speed-value').textContent()) ?? '1');
    await slider.press(now < Number.parseFloat(label) ? 'ArrowRight' : 'ArrowLeft');
  }
  assert((await page.locator('.speed-value').textContent()) === label, `speed is not ${label}`);
}

/** Saves a download started by `click` and returns its text. */
async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(ARTIFACTS, download.suggestedFilename());
  mkdirSync(ARTIFACTS, { recursive: true });
  await download.saveAs(file);
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

/** The person's path through group-chat: run, the three diagrams, chat, a crash, exports. */
async function groupChat(browser, url) {
  const { context, page, problems } = await open(browser, `${url}?scenario=group-chat&seed=42`);
  try {
    assert((await page.getByLabel('Seed').inputValue()) === '42', 'the seed input does not show 42');
    assert((await page.getByTestId('runtime').textContent()) === 'Worker', 'the simulation is not in a Worker');

    // Run: the sequence diagram follows the latest message, with real times on its arrows.
    await setSpeed(page, '5×');
    await playUntil(page, 8);
    const seq = page.locator('[data-testid=mermaid] svg');
    await seq.waitFor();
    assert(/t=\d+(\.\d+)? ms/.test((await seq.textContent()) ?? ''), 'the sequence diagram has no timed arrows');
    await shot(page, 'app-sequence.png');
    const mmd = await downloaded(page, () => page.getByRole('button', { name: '.mmd' }).click());
    assert(mmd.text.startsWith('sequenceDiagram'), `the Mermaid export starts with ${mmd.text.slice(0, 20)}`);
    const png = await downloaded(page, () => page.locator('.sequence').getByRole('button', { name: 'PNG' }).click());
    assert(png.name.endsWith('.png') && png.text.startsWith('\uFFFDPNG'), `the sequence PNG export is not a PNG: ${png.name}`);

    // Chat: u1 sends (markup included), playback carries it, u2 sees it as text.
    const text = 'e2e <b>hello</b> A->>B: #1';
    await page.getByRole('textbox', { name: /Message as u1 in g1/ }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await playUntil(page, 10);
    await page.getByLabel('Act as').selectOption('u2');
    await page.getByTestId('chat-messages').getByText(text, { exact: true }).waitFor();
    assert((await page.locator('[data-testid=chat-messages] b').count()) === 0, 'chat text was rendered as markup');
    await shot(page, 'app-chat.png');

    // Pub/sub: the graph is from the run; crash ws-2 from its details and see it.
    await page.getByRole('tab', { name: 'Pub/Sub' }).click();
    await waitUntil(() => page.locator('.react-flow__node-cluster').count(), (n) => n >= 15, 'the pub/sub nodes');
    assert((await page.locator('.react-flow__edge').count()) > 10, 'the pub/sub graph has too few edges');
    await page.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).click();
    await page.getByRole('button', { name: 'Crash ws-2' }).click();
    await page.getByText('crashed: ws-2').waitFor();
    await waitUntil(() => page.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).getAttribute('data-status'), (s) => s === 'down', 'ws-2 to show as crashed');
    // Play a simulated second past the crash so the picture shows traffic routing around ws-2.
    await setSpeed(page, '1×');
    await playUntil(page, (await simSeconds(page)) + 1);
    await shot(page, 'app-pubsub-crash.png');
    const svg = await downloaded(page, () => page.locator('.pubsub').getByRole('button', { name: 'SVG' }).click());
    assert(svg.text.startsWith('<?xml') && svg.text.includes('CRASHED'), 'the pub/sub SVG export does not show the crash');
    assert((await page.getByRole('button', { name: /^Fault at .*crash ws-2/ }).count()) === 1, 'the crash is not marked on the timeline');

    // Scrub back before the crash and forward again: the crash is kept on the timeline.
    await page.keyboard.press('Home');
    await waitUntil(() => simSeconds(page), (s) => s < 0.5, 'the seek to the start');
    await waitUntil(() => page.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).getAttribute('data-status'), (s) => s !== 'down', 'ws-2 to be up before the crash');
    await page.keyboard.press('End');
    await waitUntil(() => page.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).getAttribute('data-status'), (s) => s === 'down', 'ws-2 to be crashed again after seeking forward');

    // Events: the table mirrors the trace; filter to operator verbs.
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByLabel('Domain').selectOption('op');
    await page.getByTestId('event-list').getByText('op/crashed').waitFor();

    // Report, and the help dialog.
    await page.getByRole('tab', { name: /Report/ }).click();
    await page.getByTestId('count-sent').waitFor();
    await shot(page, 'app-report.png');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot(page, 'app-help.png');
    await page.keyboard.press('Escape');

    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

/**
 * The lab's rate-limit example as a run: the timeline reads like the lab's picture. The run plays
 * to its end (70 s of workload and 5 s of settling) and pauses itself; the last request is at 65 s.
 */
async function rateLimit(browser, url) {
  const { context, page, problems } = await open(browser, `${url}?scenario=rate-limit-burst&seed=42`);
  try {
    await page.getByRole('tab', { name: 'Rate limit' }).click();
    await setSpeed(page, '20×');
    await playToEnd(page, 75);
    const chart = page.getByTestId('rate-limit-chart');
    await waitUntil(() => chart.getAttribute('aria-label'), (l) => /7 requests, 1 denied; limit 5 per 60 s/.test(l ?? ''), 'the run’s seven decisions');
    assert((await chart.getByText('R6 (deny)').count()) === 1, 'R6 is not shown as denied');
    assert((await page.getByText(/^R7 at 65 s: the window/).textContent())?.includes('allowed'), 'R7 at 65 s is not allowed');
    // The limiter's state diagram follows the run to the same request.
    assert(/R7 at 65 s .*→ allowed/.test((await page.getByTestId('rl-state-now').textContent()) ?? ''), 'the state diagram does not follow R7');
    await shot(page, 'app-ratelimit.png');
    const svg = await downloaded(page, () => page.locator('.rate-limit').getByRole('button', { name: 'SVG' }).click());
    assert(svg.text.includes('R6') && svg.text.includes('limit 5'), 'the rate-limit SVG export lacks its marks');
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

/** The `?worker=0` fallback in the dark theme: a step and a few seconds of play with the graph shown. */
async function mainThreadDark(browser, url) {
  const { context, page, problems } = await open(browser, `${url}?scenario=group-chat&seed=7&worker=0`, { colorScheme: 'dark' });
  try {
    assert((await page.getByTestId('runtime').textContent()) === 'Main thread', 'the runtime is not the main thread');
    const before = await eventCount(page);
    await page.getByRole('button', { name: 'Step' }).click();
    await waitUntil(() => eventCount(page), (n) => n > before, 'a step');
    await page.getByRole('tab', { name: 'Pub/Sub' }).click();
    await playUntil(page, 4);
    await shot(page, 'app-dark.png');
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

/** The CLI's report of a preset run to its end (duration and settle time), as `--json` prints it. */
function cliReport(preset, seed) {
  const args = ['--max-old-space-size=6144', '--import', 'tsx', 'src/cli/sim.ts', 'run', '--scenario', preset, '--seed', String(seed), '--json'];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert(result.status === 0, `the CLI failed on ${preset}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** A report without the one field that is not deterministic (the CLI's wall-clock time). */
const comparable = (report) => JSON.stringify({ ...report, wallMs: 0 });

/**
 * For every preset the app offers, the report the browser shows at the end of the run is the
 * CLI's report for the same seed, field for field (the hash proves it is the same trace; the
 * counts, latencies, node figures and every finding prove both judge it the same way).
 */
async function reportsMatchTheCli(browser, url) {
  const presets = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', 'list'], { cwd: root, encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => line.split(/\s+/)[0])
    .filter((id) => id !== undefined && id !== '' && id !== 'million-users');
  assert(presets.length >= 8, `expected the CLI to list the presets, got ${presets.join(', ')}`);
  for (const preset of presets) {
    const seed = 42;
    const cli = cliReport(preset, seed);
    const { context, page, problems } = await open(browser, `${url}?scenario=${preset}&seed=${seed}`);
    try {
      await page.getByRole('tab', { name: 'Report' }).click();
      await setSpeed(page, '50×');
      await playToEnd(page, cli.simTimeMs / 1000);
      // The report panel asks again after the run stops; wait for the one taken at the end.
      await waitUntil(() => page.getByTestId('trace-hash').textContent(), (h) => (h ?? '').startsWith(cli.traceHash), `${preset}: the trace hash of the CLI's run`);
      let shown = null;
      await waitUntil(
        async () => {
          const file = await downloaded(page, () => page.getByRole('button', { name: 'Download JSON' }).click());
          shown = JSON.parse(file.text);
          return shown.simTimeMs;
        },
        (t) => t === cli.simTimeMs,
        `${preset}: the report at ${cli.simTimeMs} ms`,
      );
      assert(comparable(shown) === comparable(cli), `${preset}: the browser's report differs from the CLI's:\n  browser ${comparable(shown).slice(0, 400)}\n  cli     ${comparable(cli).slice(0, 400)}`);
      assert(problems.length === 0, `${preset}: the page reported problems:\n${problems.join('\n')}`);
      console.log(`    ${preset}: ${cli.traceHash}, ${cli.counts.sent} sent, ${cli.violations.length} findings, same report`);
    } finally {
      await context.close();
    }
  }
}

/**
 * A lab end to end, as a student walks it: the home screen (the lab's map), the message-flow lab,
 * its first step's figures linked to the run, then the prediction (persist or publish first?)
 * committed before the run answers, the explanation quoting measured numbers, the goal met, a
 * number that jumps the playhead to its moment, and a reload that keeps the progress.
 */
async function labWalkthrough(browser, url) {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  try {
    await page.goto(url, { waitUntil: 'load' });
    // The app opens on the map: every group, the ready labs as links, the rest marked coming.
    await page.getByTestId('home').waitFor();
    await page.getByRole('link', { name: /Message flow: User A to User B/ }).waitFor();
    for (const group of ['Concepts', 'Required diagrams', 'Critical decisions', 'Trade-offs', 'Pitfalls', 'Discussion']) {
      assert((await page.getByRole('heading', { name: group, exact: true }).count()) === 1, `the map has no ${group} group`);
    }
    assert((await page.locator('.lab-card.is-coming').count()) >= 5, 'the map does not show the coming labs');
    await shot(page, 'lab-home.png');

    // Step 1: the private message; its figures come from the run and the goal is met.
    await page.getByRole('link', { name: /Message flow: User A to User B/ }).click();
    const panel = page.getByTestId('lab-panel');
    await panel.waitFor();
    await panel.locator('[data-figure=dmShown]').waitFor();
    await page.locator('[data-testid=mermaid] svg').waitFor();
    await waitUntil(() => panel.getByTestId('lab-goals').getAttribute('data-met'), (m) => m === 'true', 'the first step’s goal');
    await shot(page, 'lab-step1.png');

    // Step 2: predict before the run answers; no explanation until the commit.
    await panel.getByRole('button', { name: 'Next step' }).click();
    await panel.getByRole('radio', { name: 'The database stores it first' }).waitFor();
    assert((await panel.getByTestId('lab-explanation').count()) === 0, 'the explanation shows before the prediction');
    assert((await simSeconds(page)) < 1, 'the run moved past its start before the prediction');
    await panel.getByRole('radio', { name: 'The database stores it first' }).check();
    await panel.getByRole('button', { name: 'Commit and run' }).click();
    const explanation = panel.getByTestId('lab-explanation');
    await explanation.waitFor();
    assert(/right/.test((await panel.getByTestId('lab-verdict').textContent()) ?? ''), 'the verdict does not say the prediction was right');
    const numbers = await explanation.locator('.figure-link').allTextContents();
    assert(numbers.length >= 3 && numbers.every((n) => /\d/.test(n)), `the explanation quotes no measured numbers: ${JSON.stringify(numbers)}`);
    await waitUntil(() => panel.getByTestId('lab-goals').getAttribute('data-met'), (m) => m === 'true', 'the prediction step’s goal');
    // The run was moved to the moment the fan-out finished (the step's figure), past 13 s.
    await waitUntil(() => simSeconds(page), (s) => s > 13, 'the playhead at the group message');
    await shot(page, 'lab-predicted.png');

    // A number jumps to its moment: the time the database stored the group message.
    await explanation.locator('[data-figure=groupStored]').click();
    await waitUntil(() => simSeconds(page), (s) => s > 13 && s < 13.1, 'the playhead at the stored message');
    await waitUntil(() => page.getByTestId('lab-done-count').textContent(), (t) => (t ?? '').startsWith('2 of 6 steps done'), 'two steps done');

    // Reload: the lab, the open step, the committed prediction and the done steps are still there.
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('lab-panel').getByTestId('lab-explanation').waitFor();
    assert(((await page.getByTestId('lab-done-count').textContent()) ?? '').startsWith('2 of 6 steps done'), 'the progress did not survive the reload');
    assert(await page.getByRole('radio', { name: 'The database stores it first' }).isChecked(), 'the committed prediction did not survive the reload');
    await page.locator('[data-testid=mermaid] svg').waitFor();
    await shot(page, 'lab-reloaded.png');

    // Home again: the card shows the progress.
    await page.getByRole('link', { name: 'All labs' }).click();
    await page.getByRole('link', { name: /Message flow.*2 of 6 done/ }).waitFor();
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

/** A wrong group-message diagram (the chat service pushes straight to B's server: no pub/sub). */
const WRONG_FLOW = `sequenceDiagram
    participant A as User A Client
    participant GW as API Gateway
    participant WSA as WS Server A
    participant Chat as Chat Service
    participant DB as Database
    participant WSB as WS Server B
    participant B as User B Client
    A->>GW: send(g1, "hi <b>&</b> A->>B")
    GW->>WSA: forward
    WSA->>Chat: submit
    Chat->>DB: store
    DB-->>Chat: stored
    Chat->>WSB: new message
    WSA-->>GW: ack
    GW-->>A: ack
    WSB->>GW: deliver
    GW->>B: deliver`;

/** The same path drawn right: persisted, then published, then fanned out to B's server. */
const RIGHT_FLOW = `sequenceDiagram
    participant A as User A Client
    participant GW as API Gateway
    participant WSA as WS Server A
    participant Chat as Chat Service
    participant DB as Database
    participant PS as Pub/Sub (Redis)
    participant WSB as WS Server B
    participant B as User B Client
    A->>GW: send(g1, "hi")
    GW->>WSA: forward
    WSA->>Chat: submit
    Chat->>DB: store
    DB-->>Chat: stored
    Chat-->>WSA: accepted
    Chat->>PS: publish(g1)
    WSA-->>GW: ack
    GW-->>A: ack
    PS->>WSB: msg(g1)
    WSB->>GW: deliver
    GW->>B: deliver`;

/**
 * The whiteboard check inside a lab: the student's own sequence diagram of the group message,
 * first wrong (no pub/sub), then right, each checked against the run on screen.
 */
async function whiteboardInALab(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  try {
    await page.goto(`${url}#/lab/message-flow`, { waitUntil: 'load' });
    const panel = page.getByTestId('lab-panel');
    await panel.waitFor();
    await panel.getByRole('button', { name: /Draw the group message/ }).click();
    // The whiteboard opens in the wide diagram area, under a tab of its own.
    const board = page.getByTestId('lab-stage').getByTestId('lab-whiteboard');
    await board.waitFor();
    assert(await page.getByRole('tab', { name: 'Your diagram', selected: true }).isVisible(), 'the whiteboard’s tab is not selected');
    const doneBefore = (await page.getByTestId('lab-done-count').textContent()) ?? '';
    const editor = board.getByLabel('Your sequence diagram (Mermaid)');
    const check = board.getByRole('button', { name: 'Check against the run' });
    await waitUntil(() => check.isEnabled(), Boolean, 'the run’s path to check against');
    await editor.fill(WRONG_FLOW);
    await check.click();
    const summary = board.getByTestId('check-summary');
    await waitUntil(() => summary.textContent(), (t) => /difference/.test(t ?? '') && !(t ?? '').startsWith('No differences'), 'the wrong diagram’s differences');
    const findings = await board.getByRole('list', { name: 'Differences' }).locator('li').allTextContents();
    assert(findings.some((f) => /broker|pub\/sub|publish/i.test(f)), `no finding names the missing pub/sub: ${JSON.stringify(findings)}`);
    // A wrong diagram does not finish the step: the run's goal alone is not enough.
    await panel.getByTestId('lab-goals').waitFor();
    assert((await panel.getByTestId('lab-goals').getAttribute('data-met')) === 'false', 'a wrong diagram finished the step');
    assert(((await page.getByTestId('lab-done-count').textContent()) ?? '') === doneBefore, 'a wrong diagram counted the step done');
    await shot(page, 'whiteboard-wrong.png');
    await editor.fill(RIGHT_FLOW);
    await check.click();
    await waitUntil(() => summary.textContent(), (t) => (t ?? '').startsWith('No differences'), 'the right diagram to pass');
    await waitUntil(() => panel.getByTestId('lab-goals').getAttribute('data-met'), (m) => m === 'true', 'the whiteboard step done after a passing check');
    assert(/passed the check/.test((await panel.getByTestId('lab-goal-whiteboard').textContent()) ?? ''), 'the goal list does not say the diagram passed');
    await shot(page, 'whiteboard-right.png');

    // Reload: the diagram the student wrote and the finished step are still there.
    await page.reload({ waitUntil: 'load' });
    const again = page.getByTestId('lab-stage').getByTestId('lab-whiteboard');
    await again.waitFor();
    await waitUntil(() => again.getByLabel('Your sequence diagram (Mermaid)').inputValue(), (v) => v === RIGHT_FLOW, 'the diagram kept across the reload');
    await waitUntil(() => page.getByTestId('lab-panel').getByTestId('lab-goals').getAttribute('data-met'), (m) => m === 'true', 'the step still done after the reload');
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

/**
 * A link reproduces everything (ADR 0027): a run with a crash, the playhead moved, the pub/sub
 * view; the copied link opens in a fresh context on the same trace hash and view; back and forward
 * move between the states before and after the crash; then a few hundred damaged links each open
 * the app with a message and no page error.
 */
async function shareableLink(browser, url) {
  const { context, page, problems } = await open(browser, `${url}?scenario=group-chat&seed=42`);
  let fresh;
  try {
    await setSpeed(page, '5×');
    await playUntil(page, 2);
    await page.getByRole('tab', { name: 'Pub/Sub' }).click();
    await page.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).click();
    await page.getByRole('button', { name: 'Crash ws-2' }).click();
    await page.getByText('crashed: ws-2').waitFor();
    await playUntil(page, (await simSeconds(page)) + 1);
    // Move the playhead back a second (Shift+←): the link names this moment, not the frontier.
    const before = await simSeconds(page);
    await page.keyboard.press('Shift+ArrowLeft');
    await waitUntil(() => simSeconds(page), (s) => s < before - 0.5, 'the seek back');
    await page.getByTestId('run-status').filter({ hasText: 'Paused' }).waitFor();
    const hash = await page.getByTestId('trace-hash').textContent();
    const at = await simSeconds(page);
    await page.getByTestId('copy-link').click();
    const link = await waitUntil(() => page.getByTestId('copy-link').getAttribute('data-copied'), (v) => v !== null, 'the copied link');
    assert(/[?&]s=1\./.test(link), `the copied link has no state: ${link}`);
    await waitUntil(() => page.evaluate(() => location.href), (href) => href === link, 'the address bar to hold the same link');

    // A fresh context (no storage, no history) opens the same run at the same moment with the same view.
    fresh = await open(browser, link);
    await waitUntil(() => fresh.page.getByTestId('trace-hash').textContent(), (h) => h === hash, `the same trace hash (${hash})`);
    assert((await simSeconds(fresh.page)) === at, 'the link did not open at the same moment');
    assert((await fresh.page.getByRole('tab', { name: 'Pub/Sub' }).getAttribute('aria-selected')) === 'true', 'the link did not open the pub/sub view');
    await waitUntil(() => fresh.page.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).getAttribute('data-status'), (s) => s === 'down', 'ws-2 crashed in the opened link');
    assert((await fresh.page.getByRole('button', { name: /^Fault at .*crash ws-2/ }).count()) === 1, 'the crash is not on the opened link’s timeline');
    assert((await fresh.page.getByTestId('link-notice').count()) === 0, 'a sound link showed a notice');
    await shot(fresh.page, 'link-opened.png');
    assert(fresh.problems.length === 0, `the opened link reported problems:\n${fresh.problems.join('\n')}`);

    // Back: the state before the crash (its own history entry); forward: the crash again.
    const opened = async (p) => Number((await p.evaluate(() => document.body.dataset.linksOpened)) ?? 0);
    const n0 = await opened(page);
    await page.goBack();
    await waitUntil(() => opened(page), (n) => n > n0, 'the previous link to open');
    await waitUntil(() => page.locator('.app').getAttribute('data-status'), (s) => s === 'paused', 'the previous state to load');
    assert((await page.getByRole('button', { name: /^Fault at .*crash ws-2/ }).count()) === 0, 'back did not return to the state before the crash');
    await page.goForward();
    await waitUntil(() => page.getByRole('button', { name: /^Fault at .*crash ws-2/ }).count(), (n) => n === 1, 'forward to bring the crash back');
    await waitUntil(() => page.getByTestId('trace-hash').textContent(), (h) => h === hash, 'forward to land on the same hash');

    // Damaged links: each opens the app (a run loaded or a clear failure) with a message, never a page error.
    const code = new URL(link).searchParams.get('s');
    const bytes = Buffer.from(code.slice(2), 'base64url');
    let seed = 12;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const raw = (value) => `1u.${Buffer.from(JSON.stringify(value)).toString('base64url')}`;
    const hostile = [-1, 1e308, '<img src=x onerror=alert(1)>', 'A->>B: %%{init}%%', { __proto__: { x: 1 } }, [], null, 'x'.repeat(500)];
    const fields = ['lab', 'step', 'sc', 'p', 'seed', 'iv', 't', 'd', 'm', 'k', 'th', '__proto__'];
    const mutations = [
      () => code.slice(0, 2 + Math.floor(rand() * (code.length - 2))),
      () => {
        const b = Buffer.from(bytes);
        b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
        return `1.${b.toString('base64url')}`;
      },
      () => `1.${Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 60) }, () => Math.floor(rand() * 256))).toString('base64url')}`,
      () => `${['0', '2', '', 'v1'][Math.floor(rand() * 4)]}.${code.slice(2)}`,
      () => raw({ [fields[Math.floor(rand() * fields.length)]]: hostile[Math.floor(rand() * hostile.length)] }),
      () => raw({ iv: [[1000, { verb: 'crash', node: hostile[Math.floor(rand() * hostile.length)] }]] }),
    ];
    const damaged = await context.newPage();
    const damagedProblems = watchForProblems(damaged);
    await damaged.goto(`${url}?s=2.x`, { waitUntil: 'load' });
    await damaged.getByTestId('link-notice').waitFor();
    let noticed = 0;
    const N = 240;
    for (let i = 0; i < N; i++) {
      const text = mutations[i % mutations.length]();
      const n = await opened(damaged);
      await damaged.evaluate((s) => {
        history.pushState(null, '', `${location.pathname}?s=${encodeURIComponent(s)}`);
        dispatchEvent(new PopStateEvent('popstate'));
      }, text);
      await waitUntil(() => opened(damaged), (m) => m > n, `damaged link ${i} to open`);
      await waitUntil(() => damaged.locator('.app').getAttribute('data-status').catch(() => null), (s) => s === 'paused' || s === 'failed', `damaged link ${i} to settle`);
      if ((await damaged.getByTestId('link-notice').count()) === 1) noticed++;
      assert(damagedProblems.length === 0, `damaged link ${JSON.stringify(text)} reported problems:\n${damagedProblems.join('\n')}`);
    }
    await shot(damaged, 'link-damaged.png');
    // A bit flip can (rarely) leave a link that still reads whole; every other mutation damages it.
    assert(noticed >= N * 0.9, `only ${noticed} of ${N} damaged links showed a message`);
    console.log(`    ${N} damaged links: ${noticed} showed a message, none a page error`);
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await fresh?.context.close();
    await context.close();
  }
}

/**
 * Presentation mode (ADR 0028): free play's "Present" opens the presenter's window; a lesson of
 * three moments (group-chat; reordering-without-sequence after a crash; group-chat on another
 * seed) is opened from a file, the audience window is opened from the panel, and the clicker's
 * PageDown/PageUp in the presenter (and in the audience, forwarded) move both windows to the same
 * run, playhead and diagram; play, pause and a seek in the presenter are followed; a damaged lesson
 * file is refused with a message; closing the presenter is said in the audience.
 */
async function presentationMode(browser, url) {
  const { context, page, problems } = await open(browser, `${url}?scenario=group-chat&seed=42`);
  try {
    await page.getByTestId('present').click();
    await page.getByTestId('presenter-panel').waitFor();
    assert(/[?&]present=[\w-]+/.test(page.url()) && /[?&]s=1/.test(page.url()), `the presenter's address names no presentation: ${page.url()}`);
    await waitUntil(() => page.getByRole('button', { name: 'Play' }).first().isEnabled(), Boolean, 'the presenter’s run to load');

    // A lesson file written here, its links in the link format's uncompressed form (`1u.`).
    const link = (wire) => `1u.${Buffer.from(JSON.stringify(wire)).toString('base64url')}`;
    const lesson = {
      version: 1,
      title: 'Ordering after a crash',
      moments: [
        { title: 'Group chat at 3 s', notes: 'Every member sees the message.', link: link({ t: 3000 }) },
        { title: 'Reordering after a crash', notes: 'ws-2 crashed at 2 s: no sequence numbers.', link: link({ sc: 'reordering-without-sequence', iv: [[2000, { verb: 'crash', node: 'ws-2' }]], t: 5000, d: 'pubsub' }) },
        { title: 'Seed 7', notes: '', link: link({ seed: 7, t: 1500, d: 'ratelimit' }) },
      ],
    };
    await page.getByTestId('open-lesson').setInputFiles({ name: 'ordering.lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lesson)) });
    await page.getByText('Opened “Ordering after a crash” (3 moments).').waitFor();
    await waitUntil(() => page.locator('.presentation').getAttribute('data-moment'), (m) => m === '0', 'the lesson’s first moment');

    const [audience] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-audience').click()]);
    const audienceProblems = watchForProblems(audience);
    await audience.waitForLoadState('load');
    assert(/[?&]audience=/.test(audience.url()), `the audience window's address: ${audience.url()}`);

    /** The presenter's run and view, from the panel's data attributes. */
    const presenterAt = () => page.getByTestId('presenter-now').evaluate((el) => ({ ...el.dataset }));
    const audienceAt = () => audience.getByTestId('audience-caption').evaluate((el) => ({ ...el.dataset })).catch(() => null);
    const same = (a, b) => a !== null && b !== null && a.traceHash !== '' && a.traceHash === b.traceHash && a.nowMs === b.nowMs && a.diagram === b.diagram && a.scenario === b.scenario && a.seed === b.seed;
    /** Waits until the audience shows what the presenter shows (both settled: paused). */
    const inStep = async (what) => {
      let p;
      await waitUntil(
        async () => {
          p = await presenterAt();
          return [p, await audienceAt()];
        },
        ([pp, a]) => pp.status === 'paused' && a?.status === 'paused' && same(pp, a),
        `the audience to show ${what}`,
      );
      return p;
    };

    const first = await inStep('the first moment');
    assert(first.scenario === 'group-chat' && first.nowMs === '3000' && first.diagram === 'sequence', `moment 1 is not group-chat at 3 s: ${JSON.stringify(first)}`);
    await audience.getByTestId('mermaid').waitFor();
    await shot(audience, 'present-audience-sequence.png');

    // The clicker: PageDown in the presenter.
    await page.locator('body').click({ position: { x: 5, y: 700 } });
    await page.keyboard.press('PageDown');
    const second = await inStep('the second moment');
    assert(second.scenario === 'reordering-without-sequence' && second.nowMs === '5000' && second.diagram === 'pubsub', `moment 2: ${JSON.stringify(second)}`);
    await audience.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).waitFor();
    await waitUntil(() => audience.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).getAttribute('data-status'), (s) => s === 'down', 'ws-2 down in the audience');
    assert((await audience.getByTestId('audience-caption').textContent()).includes('seed 42'), 'the audience caption does not show the seed');
    await shot(audience, 'present-audience-pubsub.png');
    // A reloaded audience asks the presenter (hello → state) and catches up.
    await audience.reload({ waitUntil: 'load' });
    await inStep('the second moment after the audience reloaded');

    // PageUp back; then the audience's own clicker is forwarded to the presenter.
    await page.keyboard.press('PageUp');
    await inStep('the first moment again');
    await audience.keyboard.press('PageDown');
    await waitUntil(() => page.locator('.presentation').getAttribute('data-moment'), (m) => m === '1', 'the audience’s PageDown to move the presenter');
    await inStep('the second moment, from the audience’s clicker');

    // Play and pause in the presenter: the audience plays and stops at the same playhead.
    await page.getByRole('button', { name: 'Play' }).first().click();
    await waitUntil(audienceAt, (a) => a?.status === 'playing', 'the audience to play');
    await page.getByRole('button', { name: 'Pause' }).first().click();
    const paused = await inStep('the presenter’s pause');
    assert(Number(paused.nowMs) > 5000, `the presenter did not play past 5 s: ${paused.nowMs}`);
    // A seek in the presenter (Shift+←, the workbench's own key).
    await page.locator('body').click({ position: { x: 5, y: 700 } });
    await page.keyboard.press('Shift+ArrowLeft');
    const back = await waitUntil(presenterAt, (p) => p.status === 'paused' && Number(p.nowMs) < Number(paused.nowMs), 'the presenter’s seek back');
    const sought = await inStep('the presenter’s seek');
    assert(sought.nowMs === back.nowMs, 'the audience did not land on the seek');

    // A damaged lesson file: refused with a message naming the moment and the field.
    const damaged = { ...lesson, moments: [lesson.moments[0], { ...lesson.moments[1], link: '1.AAAA' }, { title: 3 }] };
    await page.getByTestId('open-lesson').setInputFiles({ name: 'damaged.lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(damaged)) });
    const message = await page.getByTestId('lesson-error').textContent();
    assert(/damaged\.lesson\.json: moment 3, field "title"/.test(message), `the damaged lesson's message: ${message}`);
    assert((await page.getByTestId('moments').locator('li').count()) === 3, 'the damaged lesson replaced the open one');
    await shot(page, 'present-presenter.png');

    // The presenter goes away: the audience says so.
    await page.close({ runBeforeUnload: true });
    await audience.getByTestId('presenter-gone').waitFor();
    assert(problems.length === 0, `the presenter reported problems:\n${problems.join('\n')}`);
    assert(audienceProblems.length === 0, `the audience reported problems:\n${audienceProblems.join('\n')}`);
  } finally {
    await context.close();
  }
}

/**
 * The built site deployed under a sub-path on a plain static server, then used offline: the home
 * page at /courses/switchboard/ installs the service worker, which precaches every built file.
 * A redeployment (a changed index.html, a new version in sw.js) waits while the old page is open
 * and replaces the old cache once it is closed. Then the server is stopped and the browser set
 * offline, the page reloaded, and two labs never opened before run from the cache: message-flow
 * (the simulation worker, Mermaid's sequence diagram) and protocol-choice's slider (its lazy chunk
 * and a sweep on the sweep workers). No request may leave the sub-path, and the page reports no problem.
 */
async function subPathAndOffline(browser) {
  const { serveStatic } = await import('../scripts/serve-static.mjs');
  const { cpSync, mkdtempSync, readFileSync: read, rmSync: remove, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  // A copy of dist/, so the redeployment below does not touch the build the other checks serve.
  const site = mkdtempSync(path.join(tmpdir(), 'switchboard-site-'));
  cpSync(path.join(root, 'dist'), site, { recursive: true });
  const base = '/courses/switchboard/';
  const server = await serveStatic({ dir: site, base });
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  context.setDefaultTimeout(WAIT_MS);
  let page = await context.newPage();
  const problems = watchForProblems(page);
  const worker = () =>
    page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: registration?.waiting != null, caches: await caches.keys() };
    });
  try {
    // Online, under the sub-path: the home page loads and the service worker takes the page over.
    await page.goto(server.url, { waitUntil: 'load' });
    await page.getByTestId('home').waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert(scope === server.url, `the service worker's scope is ${scope}, not the sub-path ${server.url}`);
    const outside = server.requests.filter((r) => !r.path.startsWith(base) || r.status !== 200);
    assert(outside.length === 0, `requests outside the sub-path or failed:\n${outside.map((r) => `${r.status} ${r.path}`).join('\n')}`);
    for (const lazy of [/\/assets\/LabSweep-[\w-]+\.js$/, /\/assets\/sweep\.worker-[\w-]+\.js$/, /\/assets\/sequenceDiagram-[\w-]+\.js$/]) {
      assert(server.requests.some((r) => lazy.test(r.path)), `nothing matching ${lazy} was fetched for the precache before any lab was opened`);
    }

    // A redeployment: the open page keeps the old build (the new worker waits); a new tab after it
    // is closed gets the new build, and the old build's cache is gone.
    const [oldCache] = (await worker()).caches;
    const oldVersion = oldCache?.split(' ').at(-1) ?? '';
    const sw = read(path.join(site, 'sw.js'), 'utf8');
    assert(oldVersion.length === 16 && sw.includes(oldVersion), `the cache ${oldCache} does not name the version in sw.js`);
    const newVersion = [...oldVersion].reverse().join('');
    writeFileSync(path.join(site, 'sw.js'), sw.replaceAll(oldVersion, newVersion));
    writeFileSync(path.join(site, 'index.html'), read(path.join(site, 'index.html'), 'utf8').replace('</title>', ' (redeployed)</title>'));
    await page.reload({ waitUntil: 'load' });
    // A page load also looks for a new sw.js; asking explicitly does not leave it to the browser's timing.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update().catch(() => undefined));
    await waitUntil(worker, (w) => w.waiting && w.caches.length === 2, 'the new build’s worker to install and wait');
    assert(!(await page.title()).includes('redeployed'), 'the open page switched builds under the student');
    await page.close();
    page = await context.newPage();
    problems.push(...watchForProblems(page));
    await page.goto(server.url, { waitUntil: 'load' });
    await waitUntil(worker, (w) => !w.waiting && w.caches.length === 1 && w.caches[0] === oldCache?.replace(oldVersion, newVersion), 'the new build’s cache to replace the old one');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
    await page.reload({ waitUntil: 'load' });
    assert((await page.title()).includes('redeployed'), 'a new tab after the redeployment does not show the new build');
    await page.getByTestId('home').waitFor();

    // Offline: no server and no network; everything below comes from the service worker's cache.
    await server.stop();
    await context.setOffline(true);
    const served = server.requests.length;
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('home').waitFor();
    assert(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the reloaded page is not controlled by the service worker');

    await page.getByRole('link', { name: /Message flow: User A to User B/ }).click();
    const panel = page.getByTestId('lab-panel');
    await panel.waitFor();
    await page.locator('[data-testid=mermaid] svg').waitFor();
    await waitUntil(() => panel.getByTestId('lab-goals').getAttribute('data-met'), (m) => m === 'true', 'the first step’s goal, offline');
    assert((await page.getByTestId('runtime').textContent()) === 'Worker', 'the simulation is not in its Worker offline');
    await shot(page, 'offline-lab.png');

    await page.getByRole('link', { name: 'All labs' }).click();
    await page.getByRole('link', { name: /Decision: the real-time protocol/ }).click();
    await panel.getByRole('list', { name: 'Steps' }).getByRole('button', { name: /A slider over the transports/ }).click();
    // 4 transports × 3 seeds, each a real run on the sweep workers.
    await waitUntil(() => page.getByTestId('sweep-progress').textContent(), (t) => (t ?? '').startsWith('12 of 12 runs'), 'the transport sweep, offline');
    await shot(page, 'offline-sweep.png');

    assert(server.requests.length === served, 'the stopped server was asked for something');
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
    await server.stop();
    remove(site, { recursive: true, force: true });
  }
}

/**
 * Two runs side by side (ADR 0029): the reordering pair at seed 42, opened from an address with
 * the playhead at the runs' end. Each pane's trace hash is the CLI's for that preset run alone;
 * the differences panel shows ordering violations on A only and the first shown-order difference;
 * "Jump to it" puts both playheads at the same moment and both panes draw the message. A bad
 * compare address opens with a clear message and no page error.
 */
async function sideBySide(browser, url) {
  const A = 'reordering-without-sequence';
  const B = 'reordering-with-sequence';
  const cliA = cliReport(A, 42);
  const cliB = cliReport(B, 42);
  const endMs = cliA.simTimeMs;
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  try {
    await page.goto(`${url}#/compare?a=${A}&b=${B}&seed=42&t=${endMs}`, { waitUntil: 'load' });
    const view = page.getByTestId('compare');
    await view.waitFor();
    await waitUntil(() => view.getAttribute('data-status'), (s) => s === 'ready', 'both runs to load at the end');
    const hashA = await page.getByTestId('pane-a').getAttribute('data-hash');
    const hashB = await page.getByTestId('pane-b').getAttribute('data-hash');
    assert(hashA === cliA.traceHash, `pane A's hash ${hashA} is not the CLI's ${cliA.traceHash} for ${A} alone`);
    assert(hashB === cliB.traceHash, `pane B's hash ${hashB} is not the CLI's ${cliB.traceHash} for ${B} alone`);
    assert(hashA !== hashB, 'both panes show the same trace');

    const diff = page.getByTestId('differences');
    await waitUntil(() => diff.getAttribute('data-state'), (s) => s === 'done', 'the comparison');
    assert((await page.getByTestId('end-hash-a').textContent()) === cliA.traceHash, 'the comparison’s A is not the CLI’s run');
    const ordering = page.locator('[data-testid=report-diff] tr[data-figure="violations.ordering"]');
    const orderingA = Number((await ordering.locator('td[data-side=a]').textContent()).replace(/,/g, ''));
    const orderingB = Number(await ordering.locator('td[data-side=b]').textContent());
    const expectedA = cliA.violations.filter((v) => v.checker === 'ordering').length;
    assert(orderingA === expectedA && orderingA > 0 && orderingB === 0, `ordering violations: A ${orderingA} (CLI ${expectedA}), B ${orderingB}`);
    assert((await ordering.getAttribute('data-better')) === 'b', 'B is not marked better on ordering');
    const shownA = await page.getByTestId('shown-a').textContent();
    const shownB = await page.getByTestId('shown-b').textContent();
    assert(shownA !== shownB, `the first shown difference shows the same on both sides: ${shownA}`);
    const shownAt = Number(await diff.getAttribute('data-shown-at'));

    await diff.getByRole('button', { name: 'Jump to it' }).click();
    const expected = String(Math.floor(shownAt) + 1);
    await waitUntil(
      async () => [await view.getAttribute('data-status'), await view.getAttribute('data-playhead-a'), await view.getAttribute('data-playhead-b')],
      ([s, a, b]) => s === 'ready' && a === expected && b === expected,
      `both playheads at ${expected} ms`,
    );
    for (const pane of ['pane-a', 'pane-b']) await page.locator(`[data-testid=${pane}] [data-testid=mermaid] svg`).first().waitFor();
    const msg = /^(\S+)'s (\S+)$/.exec(shownA ?? '')?.[2];
    assert(msg !== undefined && page.url().includes(`msg=${msg}`), `the address does not name the message drawn (${page.url()})`);
    await diff.screenshot({ path: path.join(ARTIFACTS, 'compare-differences.png') });
    await page.evaluate(() => scrollTo(0, 0));
    await shot(page, 'compare.png');

    // A reload keeps the comparison, the playhead and the message.
    await page.reload({ waitUntil: 'load' });
    await waitUntil(
      async () => [await view.getAttribute('data-status'), await view.getAttribute('data-playhead-a'), await view.getAttribute('data-playhead-b')],
      ([s, a, b]) => s === 'ready' && a === expected && b === expected,
      'the same moment after a reload',
    );

    // Same faults: a crash chosen in A's graph applies to both runs at the same moment, is kept in
    // the address, and the comparison runs again with it.
    const paneA = page.getByTestId('pane-a');
    await paneA.getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).click();
    await paneA.getByRole('button', { name: 'Crash ws-2' }).click();
    await page.getByTestId('compare-faults').filter({ hasText: 'crash ws-2 at' }).waitFor();
    await waitUntil(
      async () => [await view.getAttribute('data-status'), await view.getAttribute('data-playhead-a'), await view.getAttribute('data-playhead-b'), await diff.getAttribute('data-state')],
      ([s, a, b, d]) => s === 'ready' && a === expected && b === expected && d === 'done',
      'both runs reloaded with the crash, at the same moment',
    );
    for (const pane of ['pane-a', 'pane-b']) {
      await waitUntil(() => page.getByTestId(pane).getByTestId('node-ws-server').filter({ hasText: 'ws-2' }).getAttribute('data-status'), (s) => s === 'down', `ws-2 down in ${pane}`);
    }
    assert(page.url().includes('iv='), `the address does not keep the crash (${page.url()})`);
    await shot(page, 'compare-crash.png');

    // A bad address: an unknown preset and a patch that is not JSON.
    await page.goto(`${url}#/compare?a=no-such-preset&b=${B}&pb=%7Bbad&seed=42`, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    await waitUntil(() => view.getAttribute('data-status'), (s) => s === 'error', 'the bad address to be refused');
    const error = await page.getByTestId('compare-error').textContent();
    assert(/unknown scenario "no-such-preset"/.test(error ?? ''), `the error does not name the unknown preset: ${error}`);
    const notice = await page.getByTestId('compare-notice').textContent();
    assert(/B's patch is not valid JSON/.test(notice ?? ''), `the notice does not name the bad patch: ${notice}`);
    await waitUntil(() => diff.getAttribute('data-state'), (s) => s === 'error', 'the comparison to be refused');
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
    console.log(`    A ${hashA}, B ${hashB}; A ${orderingA} ordering violations, B none; first shown difference at ${shownAt} ms`);
  } finally {
    await context.close();
  }
}

/**
 * The scenario editor (ADR 0030): free play, Edit scenario, a field changed (the servers) with a
 * bad value first (an inline error at the field, gone once fixed), the limiter's kind switched, the
 * JSON view following; saved as a custom scenario and run; the exported file run by the CLI and the
 * copied link of the custom run opened in a fresh context both give the same trace hash; after a
 * reload the custom scenario is still listed and runs to the same trace hash.
 */
async function scenarioEditor(browser, url) {
  const { context, page, problems } = await open(browser, `${url}?scenario=group-chat&seed=7`);
  let fresh;
  try {
    await page.getByRole('button', { name: 'Edit scenario' }).click();
    const editor = page.getByRole('dialog', { name: 'Scenario editor' });
    await editor.getByTestId('editor-valid').waitFor();
    await editor.getByLabel('Filter').fill('servers in service');
    const servers = editor.getByLabel('topology.wsServers', { exact: true });
    await servers.fill('0');
    const field = editor.locator('[data-path="topology.wsServers"]');
    await field.locator('.editor-problems').filter({ hasText: 'too small' }).waitFor();
    assert((await servers.getAttribute('aria-invalid')) === 'true', 'the bad value is not marked at its field');
    await waitUntil(() => editor.getByLabel('Scenario file (JSON)').inputValue(), (t) => t.includes('"wsServers": 0'), 'the JSON view to follow the form');
    assert(!(await editor.getByRole('button', { name: 'Run this scenario' }).isEnabled()), 'an invalid scenario can be run');
    await servers.fill('5');
    await editor.getByTestId('editor-valid').waitFor();
    assert((await field.locator('.editor-problems').count()) === 0, 'the fixed field still shows its error');

    // The limiter: on, and another algorithm (a union's kind picker).
    await editor.getByLabel('Filter').fill('rateLimit');
    await editor.getByLabel('rateLimit.enabled', { exact: true }).check();
    await editor.getByLabel('rateLimit.limiter.algorithm', { exact: true }).selectOption('token-bucket');
    await editor.getByLabel('rateLimit.limiter.refill', { exact: true }).waitFor();
    await waitUntil(() => editor.getByLabel('Scenario file (JSON)').inputValue(), (t) => t.includes('"algorithm": "token-bucket"'), 'the JSON view to show the new limiter');
    await editor.getByTestId('editor-valid').waitFor();

    await shot(page, 'scenario-editor.png');
    await editor.getByLabel('Name', { exact: true }).fill('Five servers <b>&</b> a bucket');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByTestId('editor-status').filter({ hasText: 'Saved' }).waitFor();
    await editor.getByRole('button', { name: 'Run this scenario' }).click();
    await editor.waitFor({ state: 'detached' });
    await waitUntil(() => page.getByRole('button', { name: 'Play' }).isEnabled(), Boolean, 'the custom run to load');
    const picker = page.getByLabel('Scenario');
    assert((await picker.inputValue()) === 'custom:Five servers <b>&</b> a bucket', 'the picker does not show the custom scenario');

    await page.getByRole('tab', { name: 'Report' }).click();
    await setSpeed(page, '50×');
    await playToEnd(page, 75);
    const hash = await waitUntil(() => page.getByTestId('trace-hash').textContent(), (h) => /^[0-9a-f]{16}/.test(h ?? ''), 'the trace hash at the end');
    await shot(page, 'custom-scenario-run.png');

    // Exported from the editor, the complete scenario file runs in the CLI to the same trace hash.
    await page.getByRole('button', { name: 'Edit scenario' }).click();
    const again = page.getByRole('dialog', { name: 'Scenario editor' });
    assert((await again.getByLabel('Name', { exact: true }).inputValue()) === 'Five servers <b>&</b> a bucket', 'the editor did not reopen on the custom scenario');
    const file = await downloaded(page, () => again.getByRole('button', { name: 'Export file' }).click());
    assert(JSON.parse(file.text).topology.wsServers === 5, 'the exported file lacks the edit');
    const cli = cliReport(path.join(ARTIFACTS, file.name), 7);
    assert(hash.startsWith(cli.traceHash), `the CLI's run of the exported file has another trace hash: ${cli.traceHash} vs ${hash}`);
    await again.getByRole('button', { name: 'Close' }).click();

    // The copied link of the custom run carries its preset and patch: a fresh context gets the same hash.
    await page.getByTestId('copy-link').click();
    const link = await waitUntil(() => page.getByTestId('copy-link').getAttribute('data-copied'), (v) => v !== null, 'the copied link');
    fresh = await open(browser, link);
    await fresh.page.getByRole('tab', { name: 'Report' }).click();
    await waitUntil(() => fresh.page.getByTestId('trace-hash').textContent(), (h) => h === hash, `the link's run to have the same trace hash (${hash})`);
    assert(fresh.problems.length === 0, `the opened link reported problems:\n${fresh.problems.join('\n')}`);

    // Reload: still listed; picked again, it runs to the same trace hash.
    await page.goto(`${url}?scenario=group-chat&seed=7`, { waitUntil: 'load' });
    await waitUntil(() => page.getByRole('button', { name: 'Play' }).isEnabled(), Boolean, 'the run to load after the reload');
    await page.getByLabel('Scenario').selectOption('custom:Five servers <b>&</b> a bucket');
    await waitUntil(() => page.getByLabel('Scenario').inputValue(), (v) => v.startsWith('custom:'), 'the custom scenario to be picked');
    await waitUntil(() => page.getByRole('button', { name: 'Play' }).isEnabled(), Boolean, 'the custom run to load after the reload');
    await page.getByRole('tab', { name: 'Report' }).click();
    await setSpeed(page, '50×');
    await playToEnd(page, 75);
    await waitUntil(() => page.getByTestId('trace-hash').textContent(), (h) => h === hash, `the same trace hash after a reload (${hash})`);
    assert(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await fresh?.context.close();
    await context.close();
  }
}

let server;
let browser;
let code = 1;
// Each run's pictures and exports replace the last run's, so what is there is what this run made.
rmSync(ARTIFACTS, { recursive: true, force: true });
try {
  // The first free port from 4173, so a second suite or a preview left running does not clash.
  server = await startPreview({ port: 4173 });
  browser = await launchBrowser();
  console.log(`e2e: ${server.url} in Chromium ${browser.version()}`);
  // E2E_ONLY=<text> runs only the checks whose name contains it (while working on one of them).
  const only = process.env.E2E_ONLY;
  code = await runTests([
    ['initial JavaScript is under budget and Mermaid loads lazily', async () => console.log(`    ${checkBudget()}`)],
    ['a lab end to end: home, predict, run, measured explanation, goal, reload', () => labWalkthrough(browser, server.url)],
    ['the whiteboard check in a lab: a wrong diagram, then a right one', () => whiteboardInALab(browser, server.url)],
    ['group-chat: three diagrams, chat, a crash kept across seeks, exports', () => groupChat(browser, server.url)],
    ['rate-limit-burst reads like the lab’s picture', () => rateLimit(browser, server.url)],
    ['runs on the main thread with ?worker=0 (dark theme)', () => mainThreadDark(browser, server.url)],
    ['the built site under a sub-path, redeployed, then offline: labs, workers and Mermaid from the cache', () => subPathAndOffline(browser)],
    ['the browser’s report is the CLI’s at the end of every preset', () => reportsMatchTheCli(browser, server.url)],
    ['a copied link reopens the same run, moment and view; damaged links open with a message', () => shareableLink(browser, server.url)],
    ['two runs side by side: reordering without vs with sequence numbers', () => sideBySide(browser, server.url)],
    ['the scenario editor: a field, an inline error, the limiter, saved, run, exported, linked, reloaded', () => scenarioEditor(browser, server.url)],
    ['presentation mode: presenter and audience windows in step through a lesson', () => presentationMode(browser, server.url)],
  ].filter(([name]) => only === undefined || name.includes(only)));
} catch (error) {
  console.error(`e2e: setup failed: ${error?.stack ?? error}`);
  console.log('e2e: 0 passed, 1 failed');
  writeResults({ passed: 0, failed: 1, tests: [{ name: 'setup', ok: false, ms: 0 }] });
  code = 1;
} finally {
  await browser?.close();
  server?.stop();
}
process.exit(code);
