import { describe, expect, test } from 'vitest';
import { presetScenario } from '../sim/kernel.ts';
import { PRESETS, parseScenario, presetById, runScenario, type EventOf, type TraceEvent } from '../sim/index.ts';
import { parseError } from './mermaid/testkit.test-helper.ts';
import { chatMessagesOf } from './catalog.ts';
import { sequenceDiagram, sequenceDiagramForUser, sequenceDiagramForWindow } from './sequence.ts';

const SEED = 42;

/** A preset's trace at seed 42, the way the lab runs it. */
function presetEvents(id: string): readonly TraceEvent[] {
  const preset = presetById(id);
  if (preset === undefined) throw new Error(`no preset ${id}`);
  const parsed = parseScenario(preset.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return runScenario(parsed.scenario, { seed: SEED }).trace.events;
}

const cache = new Map<string, readonly TraceEvent[]>();
function eventsOf(id: string): readonly TraceEvent[] {
  let events = cache.get(id);
  if (events === undefined) {
    events = presetEvents(id);
    cache.set(id, events);
  }
  return events;
}

/** The arrow lines of a printed diagram. */
function arrows(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+\w+(->>|-->>|-\)|-x)/.test(l));
}

/** The idempotency key of the first chat message whose path the network dropped, if any. */
function droppedMessageKey(events: readonly TraceEvent[]): string | null {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  for (const e of events) {
    if (e.type !== 'net/messageDropped' || e.causeSeq === null) continue;
    const sent = bySeq.get(e.causeSeq);
    const match = /"clientMsgId":"([^"]+)"/.exec(JSON.stringify(sent?.type === 'net/messageSent' ? sent.data.msg : null));
    if (match !== null) return match[1] as string;
  }
  return null;
}

/** Presets quick enough for unit tests (the million-user one takes a minute). */
const LIGHT_PRESETS = PRESETS.filter((p) => !('heavy' in p && p.heavy === true));

describe('sequenceDiagram on private-chat, seed 42', () => {
  // Proves the printed diagram of m3 (the message full of HTML and Mermaid characters) is stable
  // and reads as the lab's flow: sender, gateway, its server, chat, database, broker, the other
  // server, the receiver, with real times, the ack path and every character escaped.
  test('message m3 prints as the lab flow', async () => {
    const { text, capped } = sequenceDiagram(eventsOf('private-chat'), { messageId: 'm3' });
    expect(capped).toBe(false);
    expect(await parseError(text)).toBeNull();
    expect(text).toMatchInlineSnapshot(`
      "sequenceDiagram
          participant c_u1 as Client A (u1)
          participant gw as API Gateway
          participant ws_1 as WS Server ws-1
          participant chat as Chat Service
          participant db as Database
          participant broker as Pub/Sub (Redis-like)
          participant ws_2 as WS Server ws-2
          participant c_u2 as Client B (u2)
          %% message m3 (u1-2) by u1 in dm:u1:u2, sent at t=7000 ms: #quot;Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;quotes#quot;#59; A-#gt;#gt;B: no…#quot;
          c_u1->>gw: t=7020.001 ms (+20.001) send(dm:u1:u2, #quot;Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;qu…#quot;)
          gw->>ws_1: t=7021.228 ms (+1.227) fwd send(dm:u1:u2, #quot;Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;qu…#quot;) from u1
          ws_1->>chat: t=7023.187 ms (+1.933) submit(u1, dm:u1:u2, #quot;Look: #lt;b#gt;bold#lt;/b#gt; #amp; #quot;qu…#quot;)
          Note over chat: m3: seq 3, prev m2
          chat->>db: t=7025.04 ms (+1.436) insert(m3, seq 3)
          Note over db: stored m3 (order 3)
          db-->>chat: t=7026.775 ms (+1.314) inserted(order 3)
          chat-->>ws_1: t=7028.998 ms (+1.176) accepted(m3, seq 3)
          chat-)broker: t=7029.135 ms (+1.313) publish(dm:u1:u2, m3)
          Note over broker: topic dm:u1:u2 → 2 subscriber(s)
          broker-)ws_1: t=7030.5 ms (+1.339) msg(dm:u1:u2, m3, seq 3)
          Note over ws_1: m3 → 1 local connection(s)
          broker-)ws_2: t=7030.85 ms (+1.689) msg(dm:u1:u2, m3, seq 3)
          ws_1-->>gw: t=7031.109 ms (+1.911) fwd sendAck(u1-2 → m3, seq 3) to u1
          Note over ws_2: m3 → 1 local connection(s)
          ws_1-)gw: t=7032.492 ms (+1.899) fwd deliver(m3, seq 3) to u1
          ws_2-)gw: t=7033.173 ms (+1.839) fwd deliver(m3, seq 3) to u2
          gw-)c_u2: t=7058.269 ms (+25.096) deliver(m3, seq 3)
          Note over c_u2: u2 sees m3 (seq 3) at position 2
          gw-->>c_u1: t=7060.091 ms (+28.982) sendAck(u1-2 → m3, seq 3)
          Note over c_u1: acked: u1-2 = m3, seq 3
          gw-)c_u1: t=7060.101 ms (+27.609) deliver(m3, seq 3)
          Note over c_u1: u1 sees m3 (seq 3) at position 2
          c_u1->>gw: t=7083.589 ms (+23.488) ack(m3)
          gw->>ws_1: t=7084.598 ms (+1.009) fwd ack(m3) from u1
          c_u2->>gw: t=7087.04 ms (+28.771) ack(m3)
          gw->>ws_2: t=7088.524 ms (+1.484) fwd ack(m3) from u2
      "
    `);
  });

  // Proves the participants come out in the lab's declared order with role labels, and that
  // messages can be picked by id, by idempotency key or as the latest, consistently.
  test('participants and message picking', () => {
    const events = eventsOf('private-chat');
    const byId = sequenceDiagram(events, { messageId: 'm3' });
    expect(byId.participants.map((p) => [p.nodeId, p.role, p.label])).toEqual([
      ['c-u1', 'client', 'Client A (u1)'],
      ['gw', 'gateway', 'API Gateway'],
      ['ws-1', 'ws-server', 'WS Server ws-1'],
      ['chat', 'chat', 'Chat Service'],
      ['db', 'db', 'Database'],
      ['broker', 'broker', 'Pub/Sub (Redis-like)'],
      ['ws-2', 'ws-server', 'WS Server ws-2'],
      ['c-u2', 'client', 'Client B (u2)'],
    ]);
    expect(sequenceDiagram(events, { clientMsgId: 'u1-2' }).text).toBe(byId.text);
    const latest = sequenceDiagram(events);
    expect(latest.messages.map((m) => m.id)).toEqual(['m4']);
    // m4 was sent by u2, so u2 is now Client A.
    expect(latest.participants[0]).toMatchObject({ nodeId: 'c-u2', label: 'Client A (u2)' });
    expect(chatMessagesOf(events).map((m) => [m.id, m.author, m.seq])).toEqual([
      ['m1', 'u1', 1],
      ['m2', 'u2', 2],
      ['m3', 'u1', 3],
      ['m4', 'u2', 4],
    ]);
  });

  // Proves the diagram grows with playback: before the message exists there is nothing to draw,
  // and halfway along its path only the arrows delivered so far appear.
  test('atMs cuts the diagram at the playback time', () => {
    const events = eventsOf('private-chat');
    expect(sequenceDiagram(events, { messageId: 'm3', atMs: 6_999 }).messages).toEqual([]);
    // The moment the write is confirmed: the ack and the publish have just been sent.
    const persisted = events.find((e) => e.type === 'chat/messagePersisted' && e.data['id'] === 'm3') as TraceEvent;
    const half = sequenceDiagram(events, { messageId: 'm3', atMs: persisted.at });
    const full = arrows(sequenceDiagram(events, { messageId: 'm3' }).text);
    const drawn = arrows(half.text);
    expect(half.text).toContain('(in flight) accepted(m3, seq 3)');
    expect(half.text).toContain('(in flight) publish(dm:u1:u2, m3)');
    const delivered = drawn.filter((l) => !l.includes('(in flight)'));
    expect(delivered).toEqual(full.slice(0, delivered.length));
    expect(drawn.length).toBeLessThan(full.length);
  });

  // Proves the arrow cap holds and says so in the diagram.
  test('maxMessages caps the arrows with a visible note', async () => {
    const r = sequenceDiagram(eventsOf('private-chat'), { messageId: 'm3', maxMessages: 4 });
    expect(r.capped).toBe(true);
    expect(arrows(r.text)).toHaveLength(4);
    expect(r.text).toMatch(/Note over c_u1,\w+: capped: \d+ more arrows \(maxMessages 4\)/);
    expect(await parseError(r.text)).toBeNull();
  });

  // Proves the connect handshake option draws each client's connect path, shaded, before the message.
  test('showConnect draws the handshakes in a shaded block', async () => {
    const r = sequenceDiagram(eventsOf('private-chat'), { messageId: 'm3', showConnect: true });
    const [block, rest] = r.text.split('    end\n');
    expect(block).toContain('rect rgb(235, 235, 245)');
    // The handshake starts with the login: client → gateway → auth service and back, then connect.
    expect(block).toContain('c_u1->>gw: t=663.319 ms (+24.319) login(u1)');
    expect(block).toContain('gw->>auth: t=665.111 ms (+1.792) auth/login(u1 from c-u1)');
    expect(block).toContain('auth-->>gw: t=667.326 ms (+1.997) auth/issued(u1, token for c-u1)');
    expect(block).toContain('gw-->>c_u1: t=692.169 ms (+24.843) loginOk(token)');
    expect(block).toContain('c_u1->>gw: t=716.798 ms (+24.629) connect(u1)');
    expect(block).toContain('ws_1->>broker:');
    expect(block).toContain('Note over broker: ws-1 subscribed to dm:u1:u2');
    expect(block).toContain('gw-->>c_u2:');
    expect(rest).toContain('send(dm:u1:u2');
    expect(await parseError(r.text)).toBeNull();
  });
});

describe('sequenceDiagram on faults and refusals', () => {
  // Proves a message that hit the crashed server ends in a cross at ws-2, the crash shows as a
  // note in force, and the retry then takes the path through another server.
  test('a dropped send ends in a cross and the retry goes around the crash', async () => {
    const events = eventsOf('crash-at-least-once');
    const key = droppedMessageKey(events);
    expect(key).not.toBeNull();
    const r = sequenceDiagram(events, { clientMsgId: key as string });
    expect(r.text).toMatch(/gw-xws_2: t=[\d.]+ ms ✗ nodeDown: fwd send/);
    expect(r.text).toContain('Note over ws_2: ⚡ operator: crash ws-2 (in force since t=15000 ms)');
    expect(r.text).toMatch(/retry u\d+-\d+ \(attempt 2\)/);
    expect(r.text).toMatch(/Note over c_u\d+: acked:/);
    expect(await parseError(r.text)).toBeNull();
  });

  // Proves a request the chat service refuses shows the refusal where it happened and on the client.
  test('a FORBIDDEN send shows the refusal', async () => {
    const scenario = presetScenario('private-chat', {
      workload: {
        users: 3,
        channels: [
          { id: 'dm:u1:u2', members: ['u1', 'u2'] },
          { id: 'g9', members: ['u1', 'u3'] },
        ],
        script: [{ atMs: 3_000, user: 'u2', channel: 'g9', text: 'let me in' }],
      },
    });
    const events = runScenario(scenario, { seed: SEED }).trace.events;
    const r = sequenceDiagram(events);
    expect(r.messages[0]).toMatchObject({ id: null, clientMsgId: 'u2-1', channel: 'g9' });
    expect(r.text).toContain('Note over chat: ✗ FORBIDDEN: u2 is not a member of g9');
    expect(r.text).toMatch(/gw-->>c_u2: t=[\d.]+ ms \(\+[\d.]+\) sendError\(FORBIDDEN/);
    expect(r.text).toContain('Note over c_u2: ✗ send failed: FORBIDDEN');
    expect(r.participants.map((p) => p.nodeId)).not.toContain('broker');
    expect(await parseError(r.text)).toBeNull();
  });

  // Proves events the diagram has no sentence for are still shown: a rate-limit refusal caused by
  // the message's delivery, and any presence/* event during its span (a small hand-made trace).
  test('limiter refusals and presence events become notes', async () => {
    // Hand-made events; the cast stands for the simulator, which pairs each type with its data.
    const e = (seq: number, at: number, node: string, causeSeq: number | null, type: string, data: Record<string, unknown>): TraceEvent => ({ seq, at, node, causeSeq, type, data }) as TraceEvent;
    const events: TraceEvent[] = [
      e(0, 100, 'c-u1', null, 'client/messageSent', { user: 'u1', channel: 'g1', clientMsgId: 'u1-1', text: 'spam' }),
      e(1, 100, 'c-u1', null, 'net/messageSent', { from: 'c-u1', to: 'gw', msg: { type: 'send', clientMsgId: 'u1-1', channel: 'g1', text: 'spam' } }),
      e(2, 120, 'gw', 1, 'net/messageDelivered', { from: 'c-u1', to: 'gw' }),
      e(3, 120, 'gw', 2, 'limiter/rejected', { key: 'user:u1', placement: 'gateway', algorithm: 'sliding-log', count: 6, limit: 5, windowMs: 60_000, retryAfterMs: 1, detail: {} }),
      e(4, 121, 'presence', null, 'presence/statusChanged', { user: 'u9', online: false, reason: 'ttlExpired' }),
      e(5, 120, 'gw', 2, 'net/messageSent', { from: 'gw', to: 'c-u1', msg: { type: 'sendError', clientMsgId: 'u1-1', channel: 'g1', code: 'RATE_LIMITED', message: 'retry in 1 ms' } }),
      e(6, 140, 'c-u1', 5, 'net/messageDelivered', { from: 'gw', to: 'c-u1' }),
    ];
    const r = sequenceDiagram(events);
    expect(r.text).toContain('Note over gw: ✗ rate limited user:u1 (sliding-log): 6/5, retry in 1 ms');
    expect(r.text).toContain('Note over c_u1,gw: presence/statusChanged user=u9 online=false reason=ttlExpired');
    expect(r.text).toContain('gw-->>c_u1: t=140 ms (+20) sendError(RATE_LIMITED: retry in 1 ms)');
    expect(await parseError(r.text)).toBeNull();
  });
});

describe('sequenceDiagramForWindow', () => {
  // Proves reordering is visible: in the preset without sequence numbers, some user's deliveries
  // arrive out of stored order, the diagram draws them in arrival order and marks the late one.
  test('the reordering preset shows deliveries out of order', async () => {
    const events = eventsOf('reordering-without-sequence');
    // Ground truth from the trace: the first message a user saw after a later one, among those
    // pushed to them (since the login hop delays connects, the first out-of-order show of seed 42
    // is an early message caught up from history, which travels as a page, not a deliver arrow).
    const order = new Map<string, number>();
    const highest = new Map<string, number>();
    const via = new Map<string, 'push' | 'history'>();
    let late: EventOf<'client/messageShown'> | undefined;
    for (const ev of events) {
      if (ev.type === 'chat/messagePersisted') order.set(ev.data.id, ev.data.order);
      if (ev.type === 'client/messageReceived') via.set(`${ev.data.user} ${ev.data.id}`, ev.data.via);
      if (ev.type !== 'client/messageShown' || late !== undefined) continue;
      if (via.get(`${ev.data.user} ${ev.data.id}`) !== 'push') continue;
      const o = order.get(ev.data.id) ?? 0;
      const user = ev.data.user;
      if (o < (highest.get(user) ?? 0)) late = ev;
      highest.set(user, Math.max(o, highest.get(user) ?? 0));
    }
    expect(late).toBeDefined();
    const user = late?.data.user ?? '';
    const r = sequenceDiagramForUser(events, user, { fromMs: 0, toMs: late?.at ?? 0, hops: 'client', maxChatMessages: 1_000, maxMessages: 5_000, maxNotes: 5_000 });
    const client = `c_${user}`;
    const deliveries = arrows(r.text)
      .filter((l) => l.includes(`gw-)${client}:`) && l.includes('deliver('))
      .map((l) => Number(/stored order (\d+)/.exec(l)?.[1]));
    const sorted = [...deliveries].sort((a, b) => a - b);
    expect(deliveries).not.toEqual(sorted);
    const lateId = late?.data.id ?? '';
    expect(r.text).toContain(`deliver(${lateId}) (stored order ${order.get(lateId)}) ⚠ shown out of order`);
    // Other receivers are left out; authors appear only with their sends.
    for (const line of arrows(r.text)) {
      if (!line.includes(client)) expect(line).toMatch(/^\s+c_u\d+->>gw: .* send\(g1/);
    }
    expect(await parseError(r.text)).toBeNull();
  });

  // Proves the marks say which order they mean: with sequence numbers, deliveries still arrive out
  // of order (the back end reorders), but the reorder buffer shows them in order, so the diagram
  // says "arrived after" with the buffer keeping the order and never "shown out of order" (the
  // ordering checker is silent on this run); without them, the late ones are shown out of order.
  test('marks tell arrival order from shown order', () => {
    const window = { fromMs: 0, toMs: 30_000, maxChatMessages: 1_000, maxMessages: 20_000, maxNotes: 0 };
    const fixed = sequenceDiagramForWindow(eventsOf('reordering-with-sequence'), window).text;
    expect(fixed).toMatch(/deliver\(m\d+, seq \d+\) ↯ arrived after seq \d+, the reorder buffer kept the order/);
    expect(fixed).not.toContain('shown out of order');
    const broken = sequenceDiagramForWindow(eventsOf('reordering-without-sequence'), window).text;
    expect(broken).toMatch(/deliver\(m\d+\) \(stored order \d+\) ⚠ shown out of order \(after stored order \d+\)/);
  });

  // Proves the channel filter keeps only that channel's messages and the cap on chat messages is reported.
  test('channel filter and message cap', () => {
    const r = sequenceDiagramForWindow(eventsOf('group-chat'), { fromMs: 0, toMs: 60_000, channel: 'dm:u1:u2', maxChatMessages: 2 });
    expect(r.messages.map((m) => m.channel)).toEqual(['dm:u1:u2', 'dm:u1:u2']);
    expect(r.capped).toBe(true);
    expect(r.text.split('\n')[r.participants.length + 1]).toMatch(/%% 2 of \d+ message\(s\) sent between t=0 and t=60000 ms \(channel dm:u1:u2\)/);
  });
});

describe('cluster variants', () => {
  const variants: readonly [string, unknown, string][] = [
    ['Kafka-like broker', { broker: { kind: 'kafka' } }, 'Pub/Sub (Kafka-like log)'],
    ['global ordering', { chat: { ordering: 'global' } }, 'Sequencer'],
    ['presence and push notifications', { presence: { enabled: true }, notifications: { enabled: true } }, 'Presence Service'],
    ['stateless servers', { wsServer: { state: 'stateless' } }, 'Session Store'],
  ];
  for (const [name, patch, label] of variants) {
    // Proves the path walk follows the variant's extra hop (its component gets a lifeline) and the diagram parses.
    test(name, async () => {
      const events = runScenario(presetScenario('group-chat', patch), { seed: SEED }).trace.events;
      const r = sequenceDiagram(events);
      expect(r.participants.map((p) => p.label)).toContain(label);
      expect(await parseError(r.text)).toBeNull();
    });
  }
});

describe('no broker (ADR 0022)', () => {
  // Proves a message's diagram shows each server-to-server call as a synchronous request with its
  // response (the sender waits for every target), after the directory lookup, and still parses.
  test('each call to another server is a solid request answered by a dashed 200 OK', async () => {
    const r = sequenceDiagram(eventsOf('no-broker'), { messageId: 'm5' });
    const lines = r.text.split('\n');
    expect(r.participants.map((p) => p.label)).toContain('Directory (user → server)');
    const calls = lines.filter((l) => /ws_\d+->>ws_\d+: .* direct\(m5 → /.test(l));
    const answers = lines.filter((l) => /ws_\d+-->>ws_\d+: .* 200 OK \(m5\)/.test(l));
    expect(calls.length).toBeGreaterThan(0);
    expect(answers.length).toBe(calls.length);
    expect(lines.findIndex((l) => l.includes('lookup('))).toBeLessThan(lines.indexOf(calls[0] as string));
    expect(await parseError(r.text)).toBeNull();
  });
});

describe('mermaid.parse accepts every preset', () => {
  for (const preset of LIGHT_PRESETS) {
    // Proves the generated diagrams of a preset parse: the latest message, with and without the
    // connect handshake, a message whose path was dropped (when the preset drops any), and the
    // 5 seconds before the latest message.
    test(preset.id, async () => {
      const events = eventsOf(preset.id);
      const texts = [sequenceDiagram(events).text, sequenceDiagram(events, { showConnect: true }).text];
      const key = droppedMessageKey(events);
      if (key !== null) {
        const dropped = sequenceDiagram(events, { clientMsgId: key }).text;
        expect(dropped).toContain('-x');
        texts.push(dropped);
      }
      const latest = chatMessagesOf(events).at(-1);
      expect(latest).toBeDefined();
      const toMs = latest?.sentAt ?? 0;
      texts.push(sequenceDiagramForWindow(events, { fromMs: toMs - 5_000, toMs }).text);
      for (const text of texts) {
        expect(arrows(text).length).toBeGreaterThan(0);
        expect(await parseError(text), text).toBeNull();
      }
    });
  }
});
