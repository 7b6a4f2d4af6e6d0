/**
 * The no-broker pitfall, measured (issue 10, lab 2; ADR 0022): a plain loop over `runScenario`
 * comparing the `group-chat` preset (a Redis-like broker) with `no-broker` (direct HTTP calls
 * between servers through the user → server directory), patched to one group of G users on N
 * servers. Not a test and not a sweep engine: it prints the tables docs/BENCHMARKS.md quotes.
 *
 *   node --import tsx bench/nobroker.ts            # the three tables, as Markdown
 *   node --import tsx bench/nobroker.ts --json     # the same figures as one JSON object
 *
 * 1. Growth: servers {3, 6, 12, 24} × group size {8, 50, 200}, every member sending (Poisson, 20
 *    messages a second for the whole group), 10 s of sends and 5 s to settle, seed 1.
 * 2. The sender's server: one member (u1) sends 10 messages a second to a group of 50; the CPU of
 *    u1's server minus the mean CPU of the other servers, per message: what sending costs.
 * 3. One server fails: ws-6 of 6 crashes (or is slowed ×200) at 5 s, group of 30 sending 40
 *    messages a second; latency of the sends made by users on the other servers to users on the
 *    other servers (nobody on ws-6 at either end).
 */
import { runScenario, type RunReport, type TraceEvent } from '../src/sim/index.ts';
import { bystanderLatencies, presetScenario, quantile, sessionTracker } from '../src/sim/kernel.ts';

const DESIGNS = [
  { preset: 'group-chat', label: 'broker' },
  { preset: 'no-broker', label: 'no broker' },
] as const;

/** Users u1..uG, all in one group g1. */
function group(size: number): { users: number; channels: { id: string; members: string[] }[] } {
  return { users: size, channels: [{ id: 'g1', members: Array.from({ length: size }, (_, i) => `u${i + 1}`) }] };
}

/** The run's ws servers' busy time in ms (utilisation × elapsed), by server. */
function busyMs(r: RunReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, n] of Object.entries(r.nodes)) if (n.kind === 'ws-server') out.set(id, n.utilization * r.simTimeMs);
  return out;
}

function nodeBusyMs(r: RunReport, kind: string): number {
  return Object.values(r.nodes).filter((n) => n.kind === kind).reduce((s, n) => s + n.utilization * r.simTimeMs, 0);
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** One row of the growth table. */
interface GrowthRow {
  design: string;
  servers: number;
  groupSize: number;
  persisted: number;
  messagesPerStored: { total: number; fanOut: number; broker: number; directory: number; serverToServer: number };
  wsCpuMsPerStored: number;
  brokerCpuMsPerStored: number;
  directoryCpuMsPerStored: number;
  busiestServerUtilization: number;
  latencyMs: { p50: number; p99: number } | null;
  timedOut: number;
}

function growth(servers: number, groupSize: number, design: (typeof DESIGNS)[number]): GrowthRow {
  const scenario = presetScenario(design.preset, {
    topology: { wsServers: servers },
    durationMs: 10_000,
    settleMs: 5_000,
    workload: { ...group(groupSize), sendRatePerUserPerSec: 20 / groupSize },
    // Keep-alives counted, not traced: the messages per component are then chat traffic only.
    trace: { control: 'counted', maxEvents: 3_000_000 },
  });
  const { report: r, trace } = runScenario(scenario, { seed: 1 });
  const per = (n: number | undefined): number => r2((n ?? 0) / r.counts.persisted);
  const fan = fanOutMessages(trace.events);
  // Sends from 2 s on, once everyone is connected.
  const latencies = bystanderLatencies(trace.events, null, 2_000);
  const q = (p: number): number => quantile(latencies, p);
  const busy = [...busyMs(r).values()];
  return {
    design: design.label,
    servers,
    groupSize,
    persisted: r.counts.persisted,
    messagesPerStored: { total: r.messagesPerPersisted, fanOut: per(fan.broker + fan.directory + fan.serverToServer), broker: per(fan.broker), directory: per(fan.directory), serverToServer: per(fan.serverToServer) },
    wsCpuMsPerStored: r2(busy.reduce((s, b) => s + b, 0) / r.counts.persisted),
    brokerCpuMsPerStored: r2(nodeBusyMs(r, 'broker') / r.counts.persisted),
    directoryCpuMsPerStored: r2(nodeBusyMs(r, 'directory') / r.counts.persisted),
    busiestServerUtilization: r2(Math.max(...busy) / r.simTimeMs),
    latencyMs: latencies.length === 0 ? null : { p50: r2(q(0.5)), p99: r2(q(0.99)) },
    timedOut: trace.events.filter((e) => e.type === 'ws/serverCallTimedOut').length,
  };
}

/**
 * The back end's fan-out traffic, by what carries it: to and from the broker (publishes, pushes,
 * consumption reports, fetches and commits), to and from the directory (lookups and answers), and
 * between servers (calls and their responses). Client, gateway, chat and database traffic is the
 * same in both designs and left out.
 */
function fanOutMessages(events: readonly TraceEvent[]): { broker: number; directory: number; serverToServer: number } {
  const out = { broker: 0, directory: 0, serverToServer: 0 };
  for (const e of events) {
    if (e.type !== 'net/messageSent') continue;
    const { from, to } = e.data;
    if (from === 'broker' || to === 'broker') out.broker++;
    else if (from === 'directory' || to === 'directory') out.directory++;
    else if (from.startsWith('ws-') && to.startsWith('ws-')) out.serverToServer++;
  }
  return out;
}

/** Row of the sender's-server table. */
interface SenderRow {
  design: string;
  servers: number;
  sent: number;
  senderCpuMsPerMessage: number;
  otherServersCpuMsPerMessage: number;
  senderPremiumMsPerMessage: number;
}

function senderCost(servers: number, design: (typeof DESIGNS)[number]): SenderRow {
  const size = 50;
  const script = Array.from({ length: 100 }, (_, i) => ({ atMs: 3_000 + i * 100, user: 'u1', channel: 'g1', text: `message ${i + 1}` }));
  const scenario = presetScenario(design.preset, {
    topology: { wsServers: servers },
    durationMs: 14_000,
    settleMs: 6_000,
    workload: { ...group(size), sendRatePerUserPerSec: 0, burstProbability: 0, script },
    trace: { control: 'counted', maxEvents: 1_000_000 },
  });
  const { report: r, trace } = runScenario(scenario, { seed: 1 });
  const where = sessionTracker();
  for (const e of trace.events) where.see(e);
  const home = where.serverOf('u1') as string;
  const busy = busyMs(r);
  const mine = busy.get(home) ?? 0;
  const others = [...busy].filter(([id]) => id !== home).map(([, b]) => b);
  const otherMean = others.reduce((s, b) => s + b, 0) / others.length;
  const n = r.counts.persisted;
  return { design: design.label, servers, sent: n, senderCpuMsPerMessage: r2(mine / n), otherServersCpuMsPerMessage: r2(otherMean / n), senderPremiumMsPerMessage: r2((mine - otherMean) / n) };
}

/** Row of the failure table. */
interface FailureRow {
  design: string;
  fault: string;
  bystanderShows: number;
  bystanderLatencyMs: { p50: number; p99: number };
  queued: number;
  timedOut: number;
  lost: number;
}

/** Sends by users on the other servers, shown to users on the other servers, after the fault. */
function failure(fault: 'none' | 'crash' | 'slow', design: (typeof DESIGNS)[number]): FailureRow {
  const servers = 6;
  const failing = `ws-${servers}`;
  const at = 5_000;
  const faults = fault === 'crash' ? [{ at, op: { verb: 'crash', node: failing } }] : fault === 'slow' ? [{ at, op: { verb: 'slow', node: failing, factor: 200 } }] : [];
  const scenario = presetScenario(design.preset, {
    topology: { wsServers: servers },
    durationMs: 15_000,
    settleMs: 5_000,
    workload: { ...group(30), sendRatePerUserPerSec: 40 / 30 },
    faults,
    trace: { control: 'counted', maxEvents: 3_000_000 },
  });
  const { report: r, trace } = runScenario(scenario, { seed: 1 });
  const latencies = bystanderLatencies(trace.events, failing, at);
  const q = (p: number): number => quantile(latencies, p);
  const count = (type: string): number => trace.events.filter((e) => e.type === type).length;
  return {
    design: design.label,
    fault,
    bystanderShows: latencies.length,
    bystanderLatencyMs: { p50: r2(q(0.5)), p99: r2(q(0.99)) },
    queued: count('ws/serverCallQueued'),
    timedOut: count('ws/serverCallTimedOut'),
    lost: r.counts.lost,
  };
}

function main(): void {
  const json = process.argv.includes('--json');
  const rows: GrowthRow[] = [];
  for (const servers of [3, 6, 12, 24]) for (const size of [8, 50, 200]) for (const d of DESIGNS) rows.push(growth(servers, size, d));
  const senders: SenderRow[] = [];
  for (const servers of [3, 6, 12, 24]) for (const d of DESIGNS) senders.push(senderCost(servers, d));
  const failures: FailureRow[] = [];
  for (const fault of ['none', 'crash', 'slow'] as const) for (const d of DESIGNS) failures.push(failure(fault, d));
  if (json) {
    console.log(JSON.stringify({ growth: rows, sender: senders, failure: failures }, null, 1));
    return;
  }
  console.log('| servers | group | design | all msgs/stored | fan-out msgs/stored (broker, directory, server↔server) | ws CPU ms/stored | broker CPU ms/stored | directory CPU ms/stored | busiest server | p50 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const x of rows) {
    const m = x.messagesPerStored;
    console.log(`| ${x.servers} | ${x.groupSize} | ${x.design} | ${m.total} | ${m.fanOut} (${m.broker}, ${m.directory}, ${m.serverToServer}) | ${x.wsCpuMsPerStored} | ${x.brokerCpuMsPerStored} | ${x.directoryCpuMsPerStored} | ${Math.round(x.busiestServerUtilization * 100)} % | ${x.latencyMs?.p50 ?? '—'} | ${x.latencyMs?.p99 ?? '—'} |`);
  }
  console.log('\n| servers | design | messages | sender\'s server CPU ms/msg | other servers (mean) ms/msg | sending premium ms/msg |');
  console.log('|---|---|---|---|---|---|');
  for (const x of senders) console.log(`| ${x.servers} | ${x.design} | ${x.sent} | ${x.senderCpuMsPerMessage} | ${x.otherServersCpuMsPerMessage} | ${x.senderPremiumMsPerMessage} |`);
  console.log('\n| fault on ws-6 at 5 s | design | bystander shows | bystander p50 ms | bystander p99 ms | calls queued | calls timed out | lost |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const x of failures) console.log(`| ${x.fault} | ${x.design} | ${x.bystanderShows} | ${x.bystanderLatencyMs.p50} | ${x.bystanderLatencyMs.p99} | ${x.queued} | ${x.timedOut} | ${x.lost} |`);
}

main();
