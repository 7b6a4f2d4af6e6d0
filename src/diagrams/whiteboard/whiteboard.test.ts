import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runPreset } from '../../sim/kernel.ts';
import type { TraceEvent } from '../../sim/index.ts';
import { loadMermaid, parseError } from '../mermaid/testkit.test-helper.ts';
import { pubsubGraph } from '../pubsub.ts';
import { clusterComponentsOf, compareComponents, type StudentComponentGraph } from './compareComponents.ts';
import { checkSequence } from './compareSequence.ts';
import { actualFlow, type ActualFlow } from './flow.ts';
import { parseSequence } from './parse.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** Every fixture follows a message sent in the first 20 s of its run (the presets' early traffic). */
const AT_MS = 20_000;

const runs = new Map<string, readonly TraceEvent[]>();
function eventsOf(scenario: string, seed: number): readonly TraceEvent[] {
  const key = `${scenario}@${seed}`;
  let events = runs.get(key);
  if (events === undefined) {
    events = runPreset(scenario, seed).events;
    runs.set(key, events);
  }
  return events;
}

function flowOf(scenario: string, seed: number, kind: 'private' | 'group'): ActualFlow {
  const r = actualFlow(eventsOf(scenario, seed), { kind, atMs: AT_MS });
  if (!r.ok) throw new Error(r.reason);
  return r.flow;
}

interface SequenceFixture {
  readonly file: string;
  readonly text: string;
  readonly scenario: string;
  readonly seed: number;
  readonly follow: 'private' | 'group';
  readonly expect: readonly string[];
}

function sequenceFixtures(): SequenceFixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.mmd'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(FIXTURES, file), 'utf8');
      const head = /scenario: (\S+) seed: (\d+) follow: (private|group)/.exec(text);
      if (head === null) throw new Error(`${file}: no "%% scenario: … seed: … follow: …" line`);
      const expected = [...text.matchAll(/^%% expect: (\S+)$/gm)].map((m) => m[1] as string);
      return { file, text, scenario: head[1] as string, seed: Number(head[2]), follow: head[3] as 'private' | 'group', expect: expected[0] === 'none' ? [] : expected };
    });
}

interface ComponentFixture {
  readonly file: string;
  readonly scenario: string;
  readonly seed: number;
  readonly atMs: number;
  readonly graph: StudentComponentGraph;
  readonly expect: readonly string[];
}

function componentFixtures(): ComponentFixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Omit<ComponentFixture, 'file'>) }));
}

describe('actualFlow', () => {
  // The private message's real path, read from the trace: every lab participant, the steps in causal order, each hop a delivery of its send.
  test('private-chat seed 42: m1 from u1 (ws-1) to u2 (ws-2) through the broker', () => {
    const flow = flowOf('private-chat', 42, 'private');
    expect([flow.message.id, flow.sender, flow.receiver, flow.senderServer, flow.receiverServer]).toEqual(['m1', 'u1', 'u2', 'ws-1', 'ws-2']);
    expect(flow.participants.map((p) => `${p.nodeId}:${p.role}:${p.sides.join('')}`)).toEqual([
      'c-u1:client:A',
      'gw:gateway:',
      'ws-1:ws-server:A',
      'chat:chat:',
      'db:db:',
      'broker:broker:',
      'ws-2:ws-server:B',
      'c-u2:client:B',
    ]);
    const required = flow.hops.filter((h) => h.required).map((h) => `${h.step} ${h.from}>${h.to}`);
    expect(required).toEqual(['send c-u1>gw', 'forward gw>ws-1', 'submit ws-1>chat', 'persist chat>db', 'publish chat>broker', 'fanout broker>ws-2', 'relay ws-2>gw', 'deliver gw>c-u2']);
    const events = eventsOf('private-chat', 42);
    for (const h of flow.hops) {
      const delivered = events[h.seq];
      expect(delivered?.type).toBe('net/messageDelivered');
      expect(delivered?.causeSeq).toBe(h.sentSeq);
      expect(delivered?.at).toBe(h.atMs);
    }
    // Causal order: the hops are in trace order.
    expect(flow.hops.map((h) => h.seq)).toEqual(flow.hops.map((h) => h.seq).sort((a, b) => a - b));
  });

  // A group message follows a member on another server than the sender, and counts the other members reached.
  test('group-chat seed 42: m4 in g1 from u3 (ws-1) to u1 (ws-3), fanned out to every subscribed server', () => {
    const flow = flowOf('group-chat', 42, 'group');
    expect([flow.message.id, flow.message.channel, flow.sender, flow.receiver, flow.senderServer, flow.receiverServer]).toEqual(['m4', 'g1', 'u3', 'u1', 'ws-1', 'ws-3']);
    expect(flow.hops.filter((h) => h.step === 'fanout').map((h) => h.to)).toEqual(['ws-1', 'ws-3', 'ws-2']);
    // The other members (g1 has 8) that got it live: 8 − sender − B.
    expect(flow.otherReceivers).toBe(6);
  });

  // With no broker the path is a directory lookup and a direct send between servers.
  test('no-broker seed 42: a private message goes ws → directory, then ws → ws', () => {
    const flow = flowOf('no-broker', 42, 'private');
    expect(flow.hasBroker).toBe(false);
    expect(flow.hops.filter((h) => h.required).map((h) => h.step)).toEqual(['send', 'forward', 'submit', 'persist', 'lookup', 'direct', 'relay', 'deliver']);
  });

  // Asking for a message that is not there, or too early, says why instead of throwing.
  test('says why when there is no flow', () => {
    expect(actualFlow(eventsOf('private-chat', 42), { kind: 'private', atMs: 100 })).toMatchObject({ ok: false, reason: expect.stringMatching(/no private message/) });
    expect(actualFlow(eventsOf('private-chat', 42), { kind: 'private', messageId: 'm999' })).toMatchObject({ ok: false, reason: expect.stringMatching(/no message "m999"/) });
    expect(actualFlow(eventsOf('private-chat', 42), { kind: 'group' })).toMatchObject({ ok: false });
  });

  // The real diagram's text is valid Mermaid, with every arrow labelled by its trace seq.
  test('the actual flow prints as Mermaid that Mermaid accepts', async () => {
    const flow = flowOf('group-chat', 42, 'group');
    expect(await parseError(flow.text)).toBeNull();
    for (const h of flow.hops) expect(flow.text).toContain(`#35;${h.seq} t=${h.atMs} ms`);
  });
});

describe('the sequence fixtures', () => {
  const fixtures = sequenceFixtures();

  // Enough deliberately wrong diagrams and several right ones, in different naming styles.
  test('at least 8 wrong and 3 right diagrams', () => {
    expect(fixtures.filter((f) => f.file.startsWith('wrong-')).length).toBeGreaterThanOrEqual(8);
    expect(fixtures.filter((f) => f.file.startsWith('right-') && f.expect.length === 0).length).toBeGreaterThanOrEqual(3);
  });

  // Each fixture produces exactly the findings written at its end: right ones none at all (no note either).
  test.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const check = checkSequence(f.text, flowOf(f.scenario, f.seed, f.follow));
    expect(check.findings.map((x) => x.code)).toEqual(f.expect);
    expect(check.ok).toBe(!f.file.startsWith('wrong-'));
  });

  // Every fixture is a diagram Mermaid itself draws, and our reader sees the same arrows and lifelines as Mermaid does.
  test.each(fixtures.map((f) => [f.file, f] as const))('%s is valid Mermaid, read as Mermaid reads it', async (_file, f) => {
    expect(await parseError(f.text)).toBeNull();
    const mermaid = await loadMermaid();
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(f.text);
    const ours = parseSequence(f.text);
    // Mermaid's message list also holds notes, blocks and activations: count its arrows (LINETYPE
    // solid, dotted, crosses, open, points and both-ways) against ours, text by text.
    const ARROW_TYPES = new Set([0, 1, 3, 4, 5, 6, 24, 25, 33, 34]);
    const theirs = db.getMessages().filter((m) => ARROW_TYPES.has(m.type)).map((m) => m.message);
    expect(theirs).toEqual(ours.messages.map((m) => m.text));
    expect([...db.getActors().keys()].sort()).toEqual(ours.participants.map((p) => p.id).sort());
  });

  // Each finding about the run links to a real hop: its seq is a delivery in the trace.
  test('every linked seq is a real event of the run', () => {
    for (const f of fixtures) {
      const events = eventsOf(f.scenario, f.seed);
      for (const finding of checkSequence(f.text, flowOf(f.scenario, f.seed, f.follow)).findings) {
        if (finding.seq === null) continue;
        expect(events[finding.seq]?.seq, `${f.file} ${finding.code}`).toBe(finding.seq);
        expect(events[finding.seq]?.at).toBe(finding.atMs);
      }
    }
  });

  // A diagram that does not parse is not compared: the findings are its syntax errors, with positions.
  test('syntax errors come first and stop the comparison', () => {
    const check = checkSequence('sequenceDiagram\n  A->>B: ok\n  A=>B: no', flowOf('private-chat', 42, 'private'));
    expect(check.findings.map((f) => f.code)).toEqual(['syntax:L3:C3']);
    expect(check.ok).toBe(false);
  });

  // Mermaid and HTML metacharacters in names and texts are plain text to the check.
  test('metacharacters are only text', () => {
    const text = 'sequenceDiagram\n  participant X as <b>#quot;Client A</b> & %% {{}}\n  X->>Y: <script>alert(1)</script>#59;';
    const check = checkSequence(text, flowOf('private-chat', 42, 'private'));
    expect(check.participants[0]?.label).toBe('<b>#quot;Client A</b> & %% {{}}');
    expect(check.findings.some((f) => f.code === 'participant-unknown:Y')).toBe(true);
  });
});

describe('the component fixtures', () => {
  const fixtures = componentFixtures();

  // Enough deliberately wrong graphs and several right ones.
  test('at least 4 wrong and 3 right graphs', () => {
    expect(fixtures.filter((f) => f.file.startsWith('components-wrong-')).length).toBeGreaterThanOrEqual(4);
    expect(fixtures.filter((f) => f.file.startsWith('components-right-') && f.expect.length === 0).length).toBeGreaterThanOrEqual(3);
  });

  // Each graph produces exactly the findings in its file, against the pub/sub view of its run.
  test.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const graph = pubsubGraph(eventsOf(f.scenario, f.seed), { atMs: f.atMs });
    const check = compareComponents(f.graph, clusterComponentsOf(graph));
    expect(check.findings.map((x) => x.code)).toEqual(f.expect);
    // Every finding about a real connection names an edge of the view and its measured traffic.
    for (const finding of check.findings) {
      if (finding.edgeId !== null) expect(graph.edges.some((e) => e.id === finding.edgeId)).toBe(true);
    }
  });

  // The cluster's connections, by kind, as the lab asks for them: group-chat at seed 42, 20 s.
  test('group-chat: the required connections, with their traffic', () => {
    const cluster = clusterComponentsOf(pubsubGraph(eventsOf('group-chat', 42), { atMs: AT_MS }));
    expect(cluster.connections.filter((c) => c.required).map((c) => `${c.from}>${c.to}`)).toEqual([
      'broker>ws-server',
      'chat>broker',
      'chat>db',
      'client>gateway',
      'gateway>ws-server',
      'ws-server>broker',
      'ws-server>chat',
    ]);
    for (const c of cluster.connections) expect(c.messages).toBeGreaterThan(0);
  });

  // A graph that refers to nodes it does not have, or kinds outside the palette, is refused with names, not compared.
  test('a broken graph says what is wrong', () => {
    const cluster = clusterComponentsOf(pubsubGraph(eventsOf('group-chat', 42), { atMs: AT_MS }));
    const check = compareComponents({ nodes: [{ id: 'a', kind: 'spaceship' }], edges: [{ source: 'a', target: 'zz' }] }, cluster);
    expect(check.findings.map((f) => f.code)).toEqual(['invalid:node:a', 'invalid:edge:a>zz']);
  });
});

describe('the check never throws', () => {
  // Any text against a real flow: an answer (syntax findings or a comparison), never an exception.
  test('checkSequence on any text', () => {
    const flow = flowOf('group-chat', 42, 'group');
    const token = fc.constantFrom('sequenceDiagram\n', 'participant ', ' as ', 'Client A', 'B', "A's server", 'Redis', 'DB', 'Chat', 'GW', '->>', '-->>', '-x', '-)', ': ', 'publish', 'store', 'ack', '\n', 'loop x\n', 'end\n', 'Note over A: n\n', '<b>', '#quot;');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(token, { maxLength: 60 }).map((xs) => xs.join(''))), (text) => {
        const check = checkSequence(text, flow);
        expect(check.ok).toBe(!check.findings.some((f) => f.severity === 'error'));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  // Any graph over the palette's kinds (and some that are not), with edges to anywhere: findings, never an exception.
  test('compareComponents on any graph', () => {
    const cluster = clusterComponentsOf(pubsubGraph(eventsOf('group-chat', 42), { atMs: AT_MS }));
    const kind = fc.constantFrom('client', 'gateway', 'ws-server', 'broker', 'chat', 'db', 'directory', 'presence', 'nonsense', '');
    const graph = fc.array(kind, { maxLength: 8 }).chain((kinds) =>
      fc.record({
        nodes: fc.constant(kinds.map((k, i) => ({ id: `n${i}`, kind: k }))),
        edges: fc.array(fc.record({ source: fc.constantFrom('n0', 'n1', 'n2', 'n3', 'zz'), target: fc.constantFrom('n0', 'n1', 'n4', 'n5', 'zz') }), { maxLength: 12 }),
      }),
    );
    fc.assert(
      fc.property(graph, (g) => {
        const check = compareComponents(g, cluster);
        expect(check.ok).toBe(!check.findings.some((f) => f.severity === 'error'));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
