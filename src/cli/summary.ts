/**
 * The readable summary of `sim run` (everything it prints without `--json`). It is written for a
 * student reading a run for the first time: every figure is explained in a legend under the node
 * table, the faults are listed with the moment each one happened, a gap between sent and
 * persisted messages is accounted for send by send, and each checker finding is printed once.
 *
 * Everything here is a pure function of the report, the scenario and the stored trace events, so
 * the same run always prints the same text (the wall time aside) and tests need no process.
 */
import { isOpEvent, type RunReport, type Scenario, type TraceEvent } from '../sim/index.ts';
import type { RunCommand } from './args.ts';

/** An operator verb as a scenario's fault script (and the trace's `op/…` events) carry it. */
export type FaultOp = Scenario['faults'][number]['op'];

/** Violations listed in the readable summary before "… and N more". */
const MAX_VIOLATIONS_SHOWN = 20;
/** Node rows in the readable summary's table before the rest are folded into one line. */
const MAX_NODE_ROWS = 16;
/** Sends named one by one under each reason a send was not persisted, before "and N more". */
const MAX_SENDS_NAMED = 5;

/** What the summary is made from. */
export interface SummaryInput {
  readonly report: RunReport;
  readonly scenario: Scenario;
  /** The stored trace events: every event, unless `report.truncated`. */
  readonly events: readonly TraceEvent[];
  /** `preset private-chat` or `file ./my.json`. */
  readonly source: string;
  readonly command: Pick<RunCommand, 'scenario' | 'seed' | 'untilMs'>;
}

/**
 * The readable summary of a run. The first line carries the seed and the scenario, because a run
 * someone wants to discuss is only reproducible from those two.
 */
export function formatSummary(input: SummaryInput): string {
  const { report, scenario, command } = input;
  const story = readTrace(input.events);
  const lines: string[] = [];
  lines.push(`seed ${report.seed}  scenario ${report.scenario} (${input.source})`);
  const until = command.untilMs === undefined ? '' : ` --until-ms ${command.untilMs}`;
  lines.push(`  reproduce: npm run --silent sim -- run --scenario ${shellWord(command.scenario)} --seed ${command.seed}${until}`);
  lines.push('');
  lines.push(`sim time      ${int(report.simTimeMs)} ms   (wall ${int(report.wallMs)} ms)`);
  lines.push(`events        ${int(report.events)}`);
  lines.push(`trace hash    ${report.traceHash}${report.truncated ? '   (trace TRUNCATED: not every event was stored; the hash covers all)' : ''}`);

  // The faults come before the figures, because they are what a reader needs to make sense of them.
  lines.push('');
  lines.push(...formatFaults(faultTimeline(scenario, story, report)));

  const c = report.counts;
  lines.push('');
  lines.push('counts');
  lines.push(`  sent ${int(c.sent)}   persisted ${int(c.persisted)}   delivered ${int(c.delivered)}`);
  lines.push(`  sends: acked ${int(c.acked)}   failed (error shown) ${int(c.failedShown)}   pending ${int(c.pending)}   lost ${int(c.lostSends)}`);
  lines.push(`  order: agreed (stored) broken ${int(c.outOfOrderShown)}   sender FIFO broken ${int(c.senderOrderBroken)}   causal broken ${int(c.causalBroken)}`);
  lines.push(`  duplicates shown ${int(c.duplicatesShown)}   lost ${int(c.lost)}`);
  lines.push(`  rate limited ${int(c.rateLimited)}   forbidden ${int(c.forbidden)}`);
  lines.push(...formatUnpersisted(report.truncated ? [] : unpersistedSends(story), report, scenario.delivery));
  lines.push(`latency (send → shown, ms)   ${formatLatency(report)}`);
  lines.push(
    `network messages per persisted message   ${c.persisted > 0 ? num(report.messagesPerPersisted) : 'absent: no message was persisted, so there is nothing to divide by'}`,
  );
  const showLag = report.brokerLag.max > 0 || report.brokerLag.final > 0;
  if (showLag) lines.push(`broker consumer lag   max ${int(report.brokerLag.max)}   final ${int(report.brokerLag.final)}`);
  lines.push('');
  lines.push(...formatTransport(report, scenario.dataCalls === 'http' ? `${scenario.transport}, data calls over HTTP` : scenario.transport));

  lines.push('');
  lines.push(...formatNodeTable(report));
  const workers = formatWorkers(report);
  if (workers.length > 0) lines.push('', ...workers);
  lines.push('');
  lines.push(...legend(showLag, workers.length > 0));

  lines.push('');
  lines.push(...formatViolations(report));
  return `${lines.join('\n')}\n`;
}

/**
 * The key to every figure above it. It is always printed rather than behind a flag: the people who
 * need it most are the ones who would not know to ask for it, and scripts read `--json` instead.
 */
function legend(showLag: boolean, showWorkers = false): string[] {
  const rows: [string, string][] = [
    ['sent', 'messages users sent (first attempts; a retry is not counted again)'],
    ['persisted', 'messages the database stored'],
    ['delivered', "times a user was shown a message, the sender's own copy included"],
    ['sends: acked', "sends the server acknowledged to their sender"],
    ['failed (error shown)', "sends that failed with an error on the sender's screen (refusals included)"],
    ['pending', 'sends with no ack and no error yet that someone was shown (the sender still sees them waiting)'],
    ['sends: lost', 'sends that vanished: no ack, no error shown, nobody shown them (checker lost-sends)'],
    ['agreed (stored) broken', "every member sees the channel's stored order: times a message was shown after one stored later (checker ordering)"],
    ['sender FIFO broken', "each sender's own order: times a user saw a sender's message after a later one of the same sender (checker sender-order)"],
    ['causal broken', 'times a user saw a reply before the message it answers (checker causal)'],
    ['duplicates shown', 'times a user was shown a send they had already seen (by author and client message id)'],
    ['lost', '(persisted message, member online at the end) pairs never shown to that member'],
    ['rate limited', 'sends refused by a rate limiter'],
    ['forbidden', 'sends refused because the sender is not a member of the channel'],
    ['latency', 'send → shown over every (message, user) pair shown; p50 is the median'],
    ['network messages …', 'every network message of the run per persisted message (the cost of the design; traced keep-alives included)'],
  ];
  if (showLag) rows.push(['broker consumer lag', 'records a Kafka-like consumer had yet to read (largest seen, sum at the end)']);
  rows.push(
    ['bytes', 'bytes sent on client ↔ gateway links (last mile) and between back-end nodes, keep-alives included'],
    ['requests', 'HTTP requests clients made: POSTs (SSE and long polling send each frame as one), long polls, and data calls made over HTTP on their kept-alive connections'],
    ['handshakes', 'connects (WebSocket upgrade, first GET or a raw TCP connect frame, with their bytes) and logins sent, retries included'],
    ['connections held', 'client connections open at the end of the run, and the most open at once'],
    ['keep-alive', 'pings, pongs, health checks, broker pings, presence heartbeats, long polls answered empty (counted ones too)'],
    ['chat traffic', 'every other network message: sends, fan-out, acks, history, handshakes, sessions'],
    ['per persisted message', 'chat traffic only, so it does not grow with the run; requests are per message sent'],
  );
  rows.push(
    ['processed', 'inputs the node handled (messages, timers, boots)'],
    ['util %', "share of the run the node's CPU was busy (clients and the gateway are modelled as instant: 0)"],
    ['wait ms', 'mean time an input queued before the CPU took it'],
    ['sojourn ms', "mean time from an input's arrival to the end of its handling (wait + service)"],
    ['max queue', 'the most inputs waiting at once'],
  );
  if (showWorkers) {
    rows.push(
      ['workers', 'a server with worker queues (wsServer.workers, design 002): its model and workers (cores)'],
      ['switch', 'time workers spent switching to another client, and how many switches'],
      ['contention', "time spent contending for a shared queue's lock"],
      ['wait for a worker', 'how long a client with work waited for a free worker (p99, max): starvation'],
    );
  }
  const width = Math.max(...rows.map(([term]) => term.length));
  return ['legend', ...rows.map(([term, meaning]) => `  ${term.padEnd(width)}  ${meaning}`)];
}

/** The transport costs: a few lines, every figure named in the legend. */
function formatTransport(report: RunReport, transport: string): string[] {
  const t = report.transport;
  const perMessage =
    report.counts.persisted > 0
      ? `${num(t.chatBytesPerStoredMessage)} bytes   ${num(t.chatNetworkMessagesPerStoredMessage)} network messages   ${num(t.chatHttpRequestsPerSentMessage)} requests per send`
      : 'absent: no message was persisted, so there is nothing to divide by';
  return [
    `transport (${transport})`,
    `  bytes: last mile ${int(t.lastMileBytes)}   back end ${int(t.backEndBytes)}`,
    `  requests: POST ${int(t.httpPostRequests)}   poll ${int(t.httpPollRequests)}   data ${int(t.httpDataRequests)} on ${int(t.httpDataConnections)} connections   handshakes: connect ${int(t.connectHandshakes)} (${int(t.connectHandshakeBytes)} bytes)   login ${int(t.loginHandshakes)}`,
    `  connections held: end ${int(t.connectionsHeldAtEnd)}   peak ${int(t.connectionsHeldPeak)}`,
    `  keep-alive ${int(t.keepAlive.networkMessages)} messages, ${int(t.keepAlive.bytes)} bytes   chat traffic ${int(t.chat.networkMessages)} messages, ${int(t.chat.bytes)} bytes`,
    `  per persisted message: ${perMessage}`,
  ];
}

function formatLatency(report: RunReport): string {
  const l = report.latencyMs;
  if (l !== null) return `p50 ${num(l.p50)}   p90 ${num(l.p90)}   p99 ${num(l.p99)}   max ${num(l.max)}`;
  // Zeros would read as "instant"; say instead why there is no figure at all.
  const c = report.counts;
  if (c.sent === 0) return 'absent: no message was sent, so there is nothing to time';
  if (c.delivered === 0) return `absent: none of the ${int(c.sent)} sent messages was shown to anyone`;
  return 'absent: no shown message could be linked to its send';
}

// ---- what the trace tells ----------------------------------------------------------------------

/** Joins two id parts into one map key; NUL cannot occur in ids. */
function key(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

/** An operator verb as the trace recorded it, with what the trace says about its effect. */
interface AppliedFault {
  readonly at: number;
  readonly op: FaultOp;
  /** Crash or drain: the users connected to the node at that moment, in user order. */
  readonly connectedUsers?: readonly string[];
  /** addServer and removeServer: what the trace says came of it (which server joined, a refusal). */
  scaled?: string;
  /** Crash: when the gateway's health check marked the node down (its users were cut off then). */
  markedDownAt?: number;
}

/** One client/messageSent, with where the sender was connected at that moment. */
interface Send {
  readonly user: string;
  readonly at: number;
  /** The WebSocket server the user was connected to, if the trace says. */
  readonly server: string | undefined;
  /** Whether that server was crashed at the moment of the send. */
  readonly serverDown: boolean;
}

/** What one pass over the stored trace found. */
interface TraceStory {
  readonly faults: AppliedFault[];
  /** By (user, clientMsgId), in send order. */
  readonly sends: Map<string, Send>;
  /** (user, clientMsgId) of every send whose message the database stored. */
  readonly persisted: Set<string>;
  /** The first failure each send got, by (user, clientMsgId). */
  readonly failures: Map<string, { code: string; message: string }>;
  /** Crash times of each node. */
  readonly crashes: Map<string, number[]>;
  /** Time of the last stored event (where a truncated trace stops). */
  lastAt: number;
}

/** Reads, in one pass, the few things the summary explains: faults, sends and their fate. */
function readTrace(events: readonly TraceEvent[]): TraceStory {
  const serverOf = new Map<string, string>();
  const down = new Set<string>();
  const story: TraceStory = { faults: [], sends: new Map(), persisted: new Set(), failures: new Map(), crashes: new Map(), lastAt: 0 };
  /** Message id → (user, clientMsgId), from the chat service's sequencing. */
  const sendOfId = new Map<string, string>();
  for (const e of events) {
    story.lastAt = e.at;
    if (isOpEvent(e)) {
      const op = e.data.op;
      if (op.verb === 'crash') {
        down.add(op.node);
        story.crashes.set(op.node, [...(story.crashes.get(op.node) ?? []), e.at]);
        const users = [...serverOf].filter(([, server]) => server === op.node).map(([user]) => user);
        story.faults.push({ at: e.at, op, connectedUsers: users.sort(byNumber) });
      } else if (op.verb === 'removeServer') {
        const users = [...serverOf].filter(([, server]) => server === op.node).map(([user]) => user);
        story.faults.push({ at: e.at, op, connectedUsers: users.sort(byNumber) });
      } else {
        story.faults.push({ at: e.at, op });
      }
      continue;
    }
    switch (e.type) {
      case 'gw/serverAdded':
      case 'node/scaleRefused': {
        // The latest scaling verb is the one this event answers (both happen at its instant).
        const f = story.faults[story.faults.length - 1];
        if (f !== undefined && (f.op.verb === 'addServer' || f.op.verb === 'removeServer') && f.scaled === undefined) {
          f.scaled = e.type === 'gw/serverAdded' ? `${e.data.server} joined the rotation (${e.data.servers.join(', ')})` : `refused: ${e.data.reason === 'noSpareServer' ? 'no spare server left (topology.maxWsServers)' : `${e.data.node ?? 'the server'} is ${e.data.reason === 'notSpare' ? 'not a spare' : 'not serving'}`}`;
        }
        break;
      }
      case 'node/started':
        down.delete(e.node);
        break;
      case 'gw/serverMarkedDown': {
        const server = e.data.server;
        // The latest crash of that server is the one the health check has just noticed.
        for (let i = story.faults.length - 1; i >= 0; i--) {
          const f = story.faults[i] as AppliedFault;
          if (f.op.verb !== 'crash' || f.op.node !== server) continue;
          if (f.markedDownAt === undefined) f.markedDownAt = e.at;
          break;
        }
        break;
      }
      case 'client/connected': {
        const d = e.data;
        serverOf.set(d.user, d.server);
        break;
      }
      case 'client/disconnected':
        serverOf.delete(e.data.user);
        break;
      case 'client/messageSent': {
        const d = e.data;
        const server = serverOf.get(d.user);
        story.sends.set(key(d.user, d.clientMsgId), { user: d.user, at: e.at, server, serverDown: server !== undefined && down.has(server) });
        break;
      }
      case 'client/sendFailed': {
        const d = e.data;
        const k = key(d.user, d.clientMsgId);
        if (!story.failures.has(k)) story.failures.set(k, { code: d.code, message: d.message });
        break;
      }
      case 'chat/messageSequenced': {
        const d = e.data;
        sendOfId.set(d.id, key(d.author, d.clientMsgId));
        break;
      }
      case 'chat/messagePersisted': {
        const k = sendOfId.get(e.data.id);
        if (k !== undefined) story.persisted.add(k);
        break;
      }
    }
  }
  return story;
}

// ---- faults --------------------------------------------------------------------------------------

/** One line of the fault timeline. */
export interface FaultLine {
  readonly at: number;
  readonly what: string;
  /** What the trace adds (who was cut off), or why a scripted fault is missing from it. */
  readonly note: string;
}

/**
 * The faults of the run: each operator verb the trace recorded, then each scripted fault the
 * trace does not show (because the run stopped before it, or the stored trace ends before it).
 * Times come from the trace, so a reader sees when a fault happened, not only when it was asked for.
 */
function faultTimeline(scenario: Scenario, story: TraceStory, report: RunReport): FaultLine[] {
  const out: (FaultLine & { order: number })[] = [];
  const unmatched = story.faults.map((f) => ({ at: f.at, what: describeOp(f.op) }));
  story.faults.forEach((f, i) => {
    const notes: string[] = [];
    if (f.connectedUsers !== undefined && f.connectedUsers.length > 0) notes.push(`connected there: ${f.connectedUsers.join(', ')}`);
    if (f.markedDownAt !== undefined) notes.push(`the gateway marked it down at ${seconds(f.markedDownAt)} and cut its users off`);
    if (f.scaled !== undefined) notes.push(f.scaled);
    out.push({ at: f.at, what: describeOp(f.op), note: notes.join('; '), order: i });
  });
  scenario.faults.forEach((f, i) => {
    const what = describeOp(f.op);
    const found = unmatched.findIndex((u) => u.at === f.at && u.what === what);
    if (found >= 0) {
      unmatched.splice(found, 1);
      return;
    }
    let note: string;
    if (f.at > report.simTimeMs) note = `not reached: the run stopped at ${seconds(report.simTimeMs)}`;
    else if (report.truncated && f.at >= story.lastAt) note = 'scripted; after the end of the stored (truncated) trace';
    else note = 'scripted, but not in the trace';
    out.push({ at: f.at, what, note, order: story.faults.length + i });
  });
  return out.sort((a, b) => a.at - b.at || a.order - b.order).map(({ at, what, note }) => ({ at, what, note }));
}

function formatFaults(faults: readonly FaultLine[]): string[] {
  if (faults.length === 0) return ['faults        none (the scenario has no fault script)'];
  const width = Math.max(...faults.map((f) => f.what.length));
  return [
    'faults (from the scenario\'s fault script; times as the trace recorded them)',
    ...faults.map((f) => `  ${seconds(f.at).padStart(10)}  ${f.note === '' ? f.what : `${f.what.padEnd(width)}  ${f.note}`}`),
  ];
}

/** An operator verb in a few words: `crash ws-2`, `delay ws-1 → broker +200 ms`. */
export function describeOp(op: FaultOp): string {
  const arrow = (o: { from: string; to: string; twoWay?: boolean | undefined }): string => `${o.from} ${o.twoWay === true ? '↔' : '→'} ${o.to}`;
  switch (op.verb) {
    case 'partition':
      return `partition ${op.a.join(', ')} from ${op.b.join(', ')}${op.oneWay === true ? ' (one way)' : ''}`;
    case 'heal':
      return op.a !== undefined && op.b !== undefined ? `heal ${op.a.join(', ')} from ${op.b.join(', ')}` : 'heal every partition';
    case 'crash':
    case 'restart':
      return `${op.verb} ${op.node}`;
    case 'slow':
      return op.factor === 1 ? `slow ${op.node} ×1 (normal speed again)` : `slow ${op.node} ×${op.factor}`;
    case 'delay':
      return op.extraMs === 0 ? `delay ${arrow(op)} removed` : `delay ${arrow(op)} +${op.extraMs} ms`;
    case 'drop':
    case 'duplicate':
      return op.ratio === null ? `${op.verb} on ${arrow(op)} back to the configured ratio` : `${op.verb} ${op.ratio.num}/${op.ratio.den} on ${arrow(op)}`;
    case 'hold':
    case 'release':
      return `${op.verb} ${arrow(op)}`;
    case 'clog':
      return `clog ${arrow(op)} for ${op.durationMs} ms`;
    case 'inject':
      return `inject a message into ${op.node}${op.from === undefined ? '' : ` as if from ${op.from}`}`;
    case 'addServer':
      return op.node === undefined ? 'add a server (the first spare)' : `add server ${op.node}`;
    case 'removeServer':
      return `drain ${op.node}${op.graceMs === undefined ? '' : ` (stops after ${op.graceMs} ms)`}`;
  }
}

// ---- sends that were never persisted -----------------------------------------------------------

/** Sends that never reached the database for one reason, as far as the trace tells. */
interface UnpersistedGroup {
  /** The reason, worded for `n` sends. */
  readonly reason: (n: number) => string;
  readonly sends: { readonly user: string; readonly at: number }[];
}

/**
 * Groups the sends whose message the database never stored by the reason the trace gives: a
 * failure the client recorded, a server that crashed with the send in it, or nothing at all.
 */
function unpersistedSends(story: TraceStory): UnpersistedGroup[] {
  const groups = new Map<string, UnpersistedGroup>();
  const add = (id: string, reason: (n: number) => string, send: Send): void => {
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { reason, sends: [{ user: send.user, at: send.at }] });
    else group.sends.push({ user: send.user, at: send.at });
  };
  for (const [k, send] of story.sends) {
    if (story.persisted.has(k)) continue;
    const failure = story.failures.get(k);
    const server = send.server;
    if (failure !== undefined) {
      add(`failed ${failure.code} ${failure.message}`, () => `failed with ${failure.code} (${failure.message})`, send);
    } else if (server !== undefined && (send.serverDown || (story.crashes.get(server) ?? []).some((t) => t >= send.at))) {
      add(`crashed ${server}`, (n) => `went down with ${server}, which crashed before passing ${n === 1 ? 'it' : 'them'} on`, send);
    } else {
      add('unknown', () => 'with no outcome in the trace (still on the way when the run stopped, or dropped by the network)', send);
    }
  }
  // The largest group first; among equals, the reason met first in the run.
  return [...groups.values()].sort((a, b) => b.sends.length - a.sends.length);
}

function formatUnpersisted(groups: readonly UnpersistedGroup[], report: RunReport, delivery: Scenario['delivery']): string[] {
  const lines: string[] = [];
  if (report.truncated) {
    // A truncated trace lacks the persisted events of sends near its end, so tracing sends one by
    // one would blame sends that were in fact stored; only the totals are certain.
    const gap = report.counts.sent - report.counts.persisted;
    if (gap <= 0) return [];
    lines.push(
      `  ${plural(gap, 'send was', 'sends were')} never persisted (sent − persisted); the stored trace is truncated,`,
      '    so they are not traced one by one here (raise trace.maxEvents to see why).',
    );
  } else {
    const total = groups.reduce((n, g) => n + g.sends.length, 0);
    if (total === 0) return [];
    lines.push(`  ${plural(total, 'send was', 'sends were')} never persisted (sent − persisted):`);
    for (const g of groups) {
      const named = g.sends.slice(0, MAX_SENDS_NAMED).map((s) => `${s.user} at ${seconds(s.at)}`);
      const more = g.sends.length - named.length;
      lines.push(`    ${int(g.sends.length)} ${g.reason(g.sends.length)}: ${named.join(', ')}${more > 0 ? `, and ${int(more)} more` : ''}`);
    }
  }
  if (delivery === 'at-most-once') {
    lines.push(
      '    Expected under at-most-once delivery: a client sends each message once and never retries,',
      '    so a send that goes down with a crashed server, or is made while not connected, is gone.',
      '    (delivery "at-least-once" keeps it, retries it until acked, and the gap closes.)',
    );
  }
  return lines;
}

// ---- violations ----------------------------------------------------------------------------------

/**
 * One line per violation: when, which checker, and the checker's sentence. Checker sentences
 * begin with "event N: " (the same event as the violation's seq); that prefix is moved to the end
 * so each line reads as a sentence and names its event once.
 */
function formatViolations(report: RunReport): string[] {
  if (report.violations.length === 0) return ['violations    none'];
  const shown = report.violations.slice(0, MAX_VIOLATIONS_SHOWN);
  const width = Math.max(...shown.map((v) => v.checker.length));
  const lines = [`violations    ${int(report.violations.length)}`];
  for (const v of shown) {
    const prefix = `event ${v.seq}: `;
    const message = v.message.startsWith(prefix) ? v.message.slice(prefix.length) : v.message;
    const cite = new RegExp(`\\bevent ${v.seq}\\b`).test(message) ? '' : `  (event ${v.seq})`;
    lines.push(`  t=${seconds(v.at)}  ${v.checker.padEnd(width)}  ${message}${cite}`);
  }
  const more = report.violations.length - MAX_VIOLATIONS_SHOWN;
  if (more > 0) lines.push(`  … and ${int(more)} more (see --json)`);
  return lines;
}

// ---- the node table --------------------------------------------------------------------------------

/**
 * A small table of per-node figures. With many nodes (hundreds of clients or servers) only the
 * busiest rows are shown, since those are the ones a reader looks for.
 */
function formatNodeTable(report: RunReport): string[] {
  const entries = Object.entries(report.nodes);
  if (entries.length === 0) return ['nodes         none reported'];
  let shown = entries.sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  let folded = 0;
  if (shown.length > MAX_NODE_ROWS) {
    const busiest = new Set(
      [...shown]
        .sort(([, a], [, b]) => b.utilization - a.utilization || b.processed - a.processed)
        .slice(0, MAX_NODE_ROWS)
        .map(([id]) => id),
    );
    folded = shown.length - MAX_NODE_ROWS;
    shown = shown.filter(([id]) => busiest.has(id));
  }
  const header = ['node', 'kind', 'processed', 'util %', 'wait ms', 'sojourn ms', 'max queue'];
  const rows = shown.map(([id, n]) => [
    id,
    n.kind,
    int(n.processed),
    percent(n.utilization),
    n.queueWaitMsMean.toFixed(2),
    n.sojournMsMean.toFixed(2),
    int(n.queueDepthMax),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns align left, numeric columns right, as in any printed table.
  const cell = (text: string, i: number): string => (i < 2 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0));
  const out = [`nodes${folded > 0 ? ` (the ${MAX_NODE_ROWS} busiest of ${entries.length})` : ''}`];
  out.push(`  ${header.map(cell).join('  ')}`);
  for (const r of rows) out.push(`  ${r.map(cell).join('  ')}`);
  if (folded > 0) out.push(`  … and ${int(folded)} more nodes (see --json)`);
  return out;
}

/** One line per server with worker queues (ADR 0016): what its model cost. Empty without any. */
function formatWorkers(report: RunReport): string[] {
  const pooled = Object.entries(report.nodes)
    .filter(([, n]) => n.workers !== undefined)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  if (pooled.length === 0) return [];
  const out = ['workers'];
  for (const [id, n] of pooled.slice(0, MAX_NODE_ROWS)) {
    const w = n.workers;
    if (w === undefined) continue;
    const preempted = w.model === 'process-per-client' ? `   preempted ${int(w.preemptions)}` : '';
    out.push(
      `  ${id}  ${w.model} ×${w.workers}   switch ${num(w.switchMs)} ms (${int(w.switches)})   contention ${num(w.contentionMs)} ms${preempted}   wait for a worker p99 ${num(w.workerWaitMsP99)} ms, max ${num(w.workerWaitMsMax)} ms`,
    );
  }
  if (pooled.length > MAX_NODE_ROWS) out.push(`  … and ${int(pooled.length - MAX_NODE_ROWS)} more servers (see --json)`);
  return out;
}

// ---- small formatters ------------------------------------------------------------------------------

/** Formats an integer with thousands separators, independent of the machine's locale. */
function int(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a measurement: integers as they are, fractions with at most `digits` decimals. */
function num(n: number, digits = 2): string {
  return Number.isInteger(n) ? int(n) : n.toFixed(digits);
}

/** Virtual ms as seconds with the ms kept: 15204 → `15.204 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

function plural(n: number, one: string, many: string): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** Sorts `u2` before `u10`. */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Quotes a word for a POSIX shell when it needs it, so the reproduce line can be pasted as is. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A utilization as a percentage; a busy-but-tiny share shows as `<0.1` rather than a misleading 0.0. */
function percent(utilization: number): string {
  const p = utilization * 100;
  return p > 0 && p < 0.1 ? '<0.1' : p.toFixed(1);
}
