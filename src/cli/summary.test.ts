/**
 * Tests of the readable run summary (`sim run` without `--json`): the fault timeline, the account
 * of sends that were never persisted, the legend, latency when nothing was sent, and violation
 * lines. Each runs real presets or small scenario files through `main()` with captured output,
 * and checks the text against the JSON report of the same run, so the expectations follow the
 * simulator rather than copying its figures.
 */
import { describe, expect, test } from 'vitest';
import type { RunReport } from '../sim/index.ts';
import { runSim } from './fakeIo.ts';
import { describeOp, seconds, type FaultOp } from './summary.ts';

const sim = runSim;

/** The readable summary and the JSON report of the same run. */
async function both(scenario: string, seed: number, files: Record<string, string> = {}, extra: string[] = []) {
  const text = await sim(['run', '--scenario', scenario, '--seed', String(seed), ...extra], files);
  expect(text.code, text.stderr).toBe(0);
  const json = await sim(['run', '--scenario', scenario, '--seed', String(seed), '--json', ...extra], files);
  expect(json.code, json.stderr).toBe(0);
  return { text: text.stdout, report: JSON.parse(json.stdout) as RunReport };
}

/** The lines of a summary from the one starting with `title` up to the next blank line. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  expect(start, `no section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('faults', () => {
  // Proves the crash preset names the crashed server, its users and the moment of each fault, in time order, from the trace.
  test('crash-at-most-once lists the crash and the restart with their times', async () => {
    const { text } = await both('crash-at-most-once', 42);
    const faults = section(text, 'faults');
    // The title and the preset's two faults (crash at 15 s, restart at 25 s), on any seed.
    expect(faults).toHaveLength(3);
    expect(faults[1]).toMatch(/^ +15\.000 s {2}crash ws-2 +connected there: u\d(, u\d)*; the gateway marked it down at \d+\.\d{3} s/);
    expect(faults[2]).toMatch(/^ +25\.000 s {2}restart ws-2$/);
  });

  // Proves a scenario file's addServer and removeServer run from the CLI (issue 9 item 11) and
  // their lines say which server joined and who was connected to the drained one.
  test('addServer and removeServer in a scenario file: the server that joined, the drained users', async () => {
    const scenario = JSON.stringify({
      durationMs: 30_000,
      topology: { wsServers: 3, maxWsServers: 4 },
      workload: { users: 8, groups: { count: 1, size: { kind: 'fixed', size: 8 } } },
      faults: [{ at: 10_000, op: { verb: 'addServer' } }, { at: 20_000, op: { verb: 'removeServer', node: 'ws-2', graceMs: 2000 } }],
    });
    const { text, report } = await both('scale.json', 1, { 'scale.json': scenario });
    const faults = section(text, 'faults');
    expect(faults[1]).toMatch(/^ +10\.000 s {2}add a server \(the first spare\) +ws-4 joined the rotation \(ws-1, ws-2, ws-3, ws-4\)$/);
    expect(faults[2]).toMatch(/^ +20\.000 s {2}drain ws-2 \(stops after 2000 ms\) +connected there: u\d(, u\d)*$/);
    expect(report.violations).toEqual([]);
  });

  // Proves a scripted fault after the end of a shortened run is listed as not reached, with the stop time.
  test('a fault after --until-ms is marked not reached', async () => {
    const { text } = await both('crash-at-least-once', 42, {}, ['--until-ms', '20000']);
    const faults = section(text, 'faults');
    expect(faults[1]).toMatch(/15\.000 s {2}crash ws-2/);
    expect(faults[2]).toMatch(/25\.000 s {2}restart ws-2 +not reached: the run stopped at 20\.000 s$/);
  });

  // Proves a scripted fault past the end of a truncated trace is still listed, from the script, and says why.
  test('a fault beyond a truncated trace comes from the script', async () => {
    const files = {
      'tiny.json': JSON.stringify({ durationMs: 3000, settleMs: 0, workload: { users: 2, privateChats: 1 }, faults: [{ at: 2000, op: { verb: 'crash', node: 'ws-1' } }], trace: { maxEvents: 10 } }),
    };
    const { text, report } = await both('tiny.json', 1, files);
    expect(report.truncated).toBe(true);
    expect(section(text, 'faults')[1]).toMatch(/2\.000 s {2}crash ws-1 +scripted; after the end of the stored \(truncated\) trace$/);
  });

  // Proves a run without a fault script says so in one line instead of leaving the reader to wonder.
  test('no fault script', async () => {
    const { text } = await both('group-chat', 42);
    expect(text).toMatch(/^faults {8}none \(the scenario has no fault script\)$/m);
  });

  // Proves every operator verb has a short readable form (the timeline's middle column).
  test.each<[FaultOp, string]>([
    [{ verb: 'crash', node: 'ws-2' }, 'crash ws-2'],
    [{ verb: 'restart', node: 'ws-2' }, 'restart ws-2'],
    [{ verb: 'partition', a: ['ws-1'], b: ['broker', 'chat'] }, 'partition ws-1 from broker, chat'],
    [{ verb: 'partition', a: ['ws-1'], b: ['broker'], oneWay: true }, 'partition ws-1 from broker (one way)'],
    [{ verb: 'heal' }, 'heal every partition'],
    [{ verb: 'heal', a: ['ws-1'], b: ['broker'] }, 'heal ws-1 from broker'],
    [{ verb: 'slow', node: 'db', factor: 4 }, 'slow db ×4'],
    [{ verb: 'slow', node: 'db', factor: 1 }, 'slow db ×1 (normal speed again)'],
    [{ verb: 'delay', from: 'chat', to: 'db', extraMs: 200 }, 'delay chat → db +200 ms'],
    [{ verb: 'delay', from: 'chat', to: 'db', extraMs: 0, twoWay: true }, 'delay chat ↔ db removed'],
    [{ verb: 'drop', from: 'gw', to: 'ws-1', ratio: { num: 1, den: 10 } }, 'drop 1/10 on gw → ws-1'],
    [{ verb: 'duplicate', from: 'gw', to: 'ws-1', ratio: null }, 'duplicate on gw → ws-1 back to the configured ratio'],
    [{ verb: 'hold', from: 'broker', to: 'ws-3' }, 'hold broker → ws-3'],
    [{ verb: 'release', from: 'broker', to: 'ws-3' }, 'release broker → ws-3'],
    [{ verb: 'clog', from: 'ws-1', to: 'broker', durationMs: 5000 }, 'clog ws-1 → broker for 5000 ms'],
    [{ verb: 'inject', node: 'c-u1', from: 'gw', msg: {} }, 'inject a message into c-u1 as if from gw'],
  ])('%j reads %s', (op, expected) => {
    expect(describeOp(op)).toBe(expected);
  });

  // Proves times print as seconds with every millisecond kept, the same width for every moment of a run.
  test('seconds', () => {
    expect([seconds(0), seconds(254), seconds(15_000), seconds(75_204)]).toEqual(['0.000 s', '0.254 s', '15.000 s', '75.204 s']);
  });
});

describe('sends that were never persisted', () => {
  // Proves the at-most-once crash run accounts for the whole gap sent − persisted, reason by reason, and says why it is expected.
  test('crash-at-most-once explains sent − persisted', async () => {
    const { text, report } = await both('crash-at-most-once', 42);
    const gap = report.counts.sent - report.counts.persisted;
    expect(gap).toBeGreaterThan(0);
    expect(text).toContain(`${gap} sends were never persisted (sent − persisted):`);
    const groups = [...text.matchAll(/^ {4}(\d+) (went down with|failed with|with no outcome)/gm)].map((m) => Number(m[1]));
    expect(groups.reduce((a, b) => a + b, 0)).toBe(gap);
    expect(text).toMatch(/^ {4}\d+ went down with ws-2, which crashed before passing them on: u\d at \d+\.\d{3} s/m);
    expect(text).toContain('Expected under at-most-once delivery');
  });

  // Proves a truncated trace gives only the certain total (sends persisted past the cap are not blamed), and nothing when every send was persisted.
  test('a truncated trace: the total only', async () => {
    const capped = async (preset: string) => {
      const shown = JSON.parse((await sim(['show', '--scenario', preset])).stdout) as { trace: { maxEvents: number } };
      shown.trace.maxEvents = 1000;
      return both('capped.json', 42, { 'capped.json': JSON.stringify(shown) });
    };
    const crash = await capped('crash-at-most-once');
    expect(crash.report.truncated).toBe(true);
    const gap = crash.report.counts.sent - crash.report.counts.persisted;
    expect(crash.text).toContain(`  ${gap} sends were never persisted (sent − persisted); the stored trace is truncated,`);
    expect(crash.text).not.toMatch(/went down with|with no outcome/);
    expect(crash.text).toContain('Expected under at-most-once delivery');

    const calm = await capped('group-chat');
    expect(calm.report.truncated).toBe(true);
    expect(calm.report.counts.sent).toBe(calm.report.counts.persisted);
    expect(calm.text).not.toContain('never persisted');
  });

  // Proves a run that persisted everything prints no such account (at-least-once retried through the same crash).
  test('crash-at-least-once has no gap to explain', async () => {
    const { text, report } = await both('crash-at-least-once', 42);
    expect(report.counts.sent).toBe(report.counts.persisted);
    expect(text).not.toContain('never persisted');
    expect(text).not.toContain('at-most-once');
  });
});

describe('legend', () => {
  // Proves the legend sits right under the node table and explains every column of it and every count.
  test('every column and count is explained', async () => {
    const { text } = await both('group-chat', 42);
    const lines = text.split('\n');
    const header = lines.find((l) => l.trimStart().startsWith('node '));
    expect(header).toBeDefined();
    const legend = section(text, 'legend');
    expect(lines.indexOf('legend')).toBe(lines.indexOf('', lines.indexOf(header as string)) + 1);
    const terms = legend.slice(1).map((l) => l.trim().split(/ {2,}/)[0]);
    for (const column of ['processed', 'util %', 'wait ms', 'sojourn ms', 'max queue']) expect(terms).toContain(column);
    for (const figure of ['bytes', 'requests', 'handshakes', 'connections held', 'keep-alive', 'chat traffic', 'per persisted message']) expect(terms).toContain(figure);
    for (const count of ['sent', 'persisted', 'delivered', 'sends: acked', 'failed (error shown)', 'pending', 'sends: lost', 'agreed (stored) broken', 'sender FIFO broken', 'causal broken', 'duplicates shown', 'lost', 'rate limited', 'forbidden', 'latency']) {
      expect(terms).toContain(count);
    }
  });
});

describe('workers', () => {
  // Proves a server with worker queues (wsServer.workers, ADR 0016) gets a line of its costs, as the JSON has them, explained in the legend; one event loop prints none.
  test('process-per-client on one server: switch time, preemptions and the wait for a worker', async () => {
    const files = {
      'wq.json': JSON.stringify({ id: 'wq', durationMs: 10_000, settleMs: 2_000, topology: { wsServers: 1 }, workload: { users: 8, privateChats: 4, sendRatePerUserPerSec: 1 }, wsServer: { workers: { model: 'process-per-client', workers: 2 } } }),
    };
    const { text, report } = await both('wq.json', 3, files);
    const w = report.nodes['ws-1']?.workers;
    expect(w?.switches).toBeGreaterThan(0);
    const lines = section(text, 'workers');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^ {2}ws-1 {2}process-per-client ×2 {3}switch [\\d.]+ ms \\([\\d,]+\\) {3}contention 0 ms {3}preempted 0 {3}wait for a worker p99 [\\d.]+ ms, max [\\d.]+ ms$`));
    const terms = section(text, 'legend').slice(1).map((l) => l.trim().split(/ {2,}/)[0]);
    for (const term of ['workers', 'switch', 'contention', 'wait for a worker']) expect(terms).toContain(term);
    expect((await both('group-chat', 42)).text).not.toMatch(/^workers$/m);
  });
});

describe('transport', () => {
  // Proves the summary prints the report's transport costs, keep-alive apart from chat, as the JSON has them.
  test('long polling: bytes, requests, handshakes, held connections and per-message figures', async () => {
    const files = { 'lp.json': JSON.stringify({ id: 'lp', transport: 'long-polling', durationMs: 10_000, settleMs: 2_000, workload: { users: 4, privateChats: 2, sendRatePerUserPerSec: 1 } }) };
    const { text, report } = await both('lp.json', 7, files);
    const t = report.transport;
    const lines = section(text, 'transport (');
    const int = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
    expect(lines[0]).toBe('transport (long-polling)');
    expect(lines[1]).toBe(`  bytes: last mile ${int(t.lastMileBytes)}   back end ${int(t.backEndBytes)}`);
    expect(lines[2]).toBe(`  requests: POST ${int(t.httpPostRequests)}   poll ${int(t.httpPollRequests)}   data 0 on 0 connections   handshakes: connect ${int(t.connectHandshakes)} (${int(t.connectHandshakeBytes)} bytes)   login ${int(t.loginHandshakes)}`);
    expect(lines[3]).toBe(`  connections held: end ${int(t.connectionsHeldAtEnd)}   peak ${int(t.connectionsHeldPeak)}`);
    expect(lines[4]).toMatch(/^ {2}keep-alive [\d,]+ messages, [\d,]+ bytes {3}chat traffic [\d,]+ messages, [\d,]+ bytes$/);
    expect(lines[5]).toMatch(/^ {2}per persisted message: [\d,.]+ bytes {3}[\d,.]+ network messages {3}[\d.]+ requests per send$/);
    expect(t.httpPollRequests).toBeGreaterThan(0);
  });
});

describe('transport: raw tcp with data calls over http', () => {
  // Proves the summary names the data-call choice and prints the HTTP data calls and the handshake bytes the report measured.
  test('tcp, data calls over HTTP: the heading says so, the requests line counts them', async () => {
    const files = { 'tcp.json': JSON.stringify({ id: 'tcp', transport: 'tcp', dataCalls: 'http', durationMs: 10_000, settleMs: 2_000, largeGroups: { mode: 'pull', thresholdMembers: 2 }, workload: { users: 4, privateChats: 2, sendRatePerUserPerSec: 1 } }) };
    const { text, report } = await both('tcp.json', 7, files);
    const t = report.transport;
    const lines = section(text, 'transport (');
    expect(lines[0]).toBe('transport (tcp, data calls over HTTP)');
    expect(t.httpDataRequests).toBeGreaterThan(0);
    expect(t.httpPostRequests + t.httpPollRequests).toBe(0);
    expect(lines[2]).toBe(`  requests: POST 0   poll 0   data ${t.httpDataRequests} on ${t.httpDataConnections} connections   handshakes: connect ${t.connectHandshakes} (${t.connectHandshakeBytes} bytes)   login ${t.loginHandshakes}`);
  });
});

describe('latency', () => {
  const quiet = { 'quiet.json': JSON.stringify({ id: 'quiet', durationMs: 5000, settleMs: 1000, workload: { users: 3, privateChats: 1, sendRatePerUserPerSec: 0 } }) };

  // Proves a run with no sends reports latency as absent, in words in the summary and as null in --json, never as zeros.
  test('no sends: absent, not zeros', async () => {
    const { text, report } = await both('quiet.json', 1, quiet);
    expect(report.counts.sent).toBe(0);
    expect(report.latencyMs).toBeNull();
    expect(text).toMatch(/^latency \(send → shown, ms\) {3}absent: no message was sent, so there is nothing to time$/m);
    expect(text).toMatch(/^network messages per persisted message {3}absent: no message was persisted/m);
    expect(text).not.toMatch(/p\d+ \d/);
  });
});

describe('violations', () => {
  // Proves each violation prints once, as time, checker and sentence, naming its event exactly once (no "seq N: event N").
  test('reordering-without-sequence prints readable ordering lines', async () => {
    const { text, report } = await both('reordering-without-sequence', 1);
    // Only needs more than the 20 lines the summary prints: measured 348 on seed 1 (178 to 348 on
    // seeds 1–8); the 20 below is that cap (MAX_VIOLATIONS_SHOWN).
    expect(report.violations.length).toBeGreaterThan(20);
    expect(text).not.toMatch(/seq \d+: event \d+/);
    const lines = text.split('\n').filter((l) => l.startsWith('  t='));
    expect(lines).toHaveLength(20);
    const first = report.violations[0];
    expect(first?.message.startsWith(`event ${first.seq}: `)).toBe(true);
    // Checker names are padded to the longest (`sender-order`) so the sentences line up.
    if (first !== undefined) expect(lines[0]).toBe(`  t=${seconds(first.at)}  ${first.checker.padEnd('sender-order'.length)}  ${first.message.slice(`event ${first.seq}: `.length)}  (event ${first.seq})`);
    for (const line of lines) {
      expect(line).toMatch(/^ {2}t=\d+\.\d{3} s {2}(ordering {4}|sender-order) {2}u\d saw /);
      expect(line.match(/event \d+/g)).toHaveLength(1);
    }
    expect(text).toContain(`… and ${report.violations.length - 20} more (see --json)`);
  });

  // Proves a message that already cites its event (the loss checker's) gets no second citation.
  test('lost lines cite their event once', async () => {
    const { text } = await both('crash-at-most-once', 42);
    // The `lost-sends` lines (sends that vanished in the crash) are checked the same way below.
    const lines = text.split('\n').filter((l) => l.startsWith('  t='));
    expect(lines.filter((l) => / lost +u/.test(l)).length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/^ {2}t=\d+\.\d{3} s {2}(lost +u\d's u\d-\d+ \(m\d+\) in g1 \(persisted at event \d+\) was never shown to u\d|lost-sends +u\d's send u\d-\d+ in \S+ \(event \d+\) silently vanished)/);
      expect(line.match(/event \d+/g)).toHaveLength(1);
    }
  });
});
