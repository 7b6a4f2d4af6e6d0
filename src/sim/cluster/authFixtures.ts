/**
 * Test fixtures shared by the authentication and authorization repros (issue 9 items 5 and 6):
 * a three-user cluster, and readers of what crossed the wire in its run.
 */
import type { EventOf, TraceEvent, WireMsg } from '../contract/index.ts';
import { readWire } from '../contract/index.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { reportOf, type WatchedRun } from './run.ts';

/** Three users: u1 and u2 share a direct chat, all three share g1; u3 is not in the direct chat. */
export function threeUsers(patch: Partial<ScenarioInput> = {}): Scenario {
  const parsed = parseScenario({
    id: 'auth-repro',
    durationMs: 20_000,
    settleMs: 5_000,
    topology: { wsServers: 2 },
    workload: {
      users: 3,
      channels: [
        { id: 'dm:u1:u2', members: ['u1', 'u2'] },
        { id: 'g1', members: ['u1', 'u2', 'u3'] },
      ],
      sendRatePerUserPerSec: 0,
      script: [
        { atMs: 6_000, user: 'u2', channel: 'dm:u1:u2', text: 'for u1 only' },
        { atMs: 7_000, user: 'u2', channel: 'dm:u1:u2', text: 'still for u1 only' },
      ],
    },
    ...patch,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}

export function events(run: WatchedRun): readonly TraceEvent[] {
  return run.sim.trace.events;
}

export function ofType<T extends TraceEvent['type']>(run: WatchedRun, type: T): EventOf<T>[] {
  return events(run).filter((e): e is EventOf<T> => e.type === type);
}

/** Payloads a node sent, narrowed to the wire protocol. */
export function sentBy(run: WatchedRun, from: string): { to: string; msg: WireMsg }[] {
  const out: { to: string; msg: WireMsg }[] = [];
  for (const e of ofType(run, 'net/messageSent')) {
    const msg = readWire(e.data.msg);
    if (e.data.from === from && msg !== null) out.push({ to: e.data.to, msg });
  }
  return out;
}

/** Frames that reached a client node (sent to it by the gateway). */
export function framesTo(run: WatchedRun, client: string): WireMsg[] {
  return sentBy(run, 'gw').filter((s) => s.to === client).map((s) => s.msg);
}

/** The token the auth service issued to a client (the first one, or the last). */
export function tokenOf(run: WatchedRun, client: string, which: 'first' | 'last' = 'first'): string {
  const tokens = framesTo(run, client).flatMap((m) => (m.type === 'loginOk' ? [m.token] : []));
  const t = which === 'first' ? tokens[0] : tokens[tokens.length - 1];
  if (t === undefined) throw new Error(`${client} never got a token`);
  return t;
}

export function injectAtGateway(run: WatchedRun, from: string, msg: unknown): void {
  run.sim.applyOp({ verb: 'inject', node: 'gw', from, msg });
}

export function finish(run: WatchedRun, scenario: Scenario): ReturnType<typeof reportOf> {
  run.sim.runUntil(scenario.durationMs + scenario.settleMs);
  return reportOf(run, scenario.id, 0);
}
