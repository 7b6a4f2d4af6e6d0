import { describe, expect, test } from 'vitest';
import { eventsOfType, readWire, type RunReport, type TraceEvent, type TransportCosts } from '../contract/index.ts';
import { HTTP_REQUEST_BYTES, HTTP_RESPONSE_BYTES, TRANSPORT_BYTES } from '../nodes/protocol.ts';
import { parseScenario } from '../scenario/schema.ts';
import { runScenario } from './run.ts';
import { presetScenario } from './testing.ts';

// ADR 0017: JSON over a raw TCP stream as a fourth transport, and data calls (history fetches,
// lazy presence queries) on the stream or each as its own HTTP/1.1 request (design 002).

interface Run {
  readonly report: RunReport;
  readonly t: TransportCosts;
  readonly events: readonly TraceEvent[];
}

function run(patch: Record<string, unknown>, seed: number): Run {
  const { report, trace } = runScenario(presetScenario('group-chat', patch), { seed });
  expect(trace.events.length, 'the trace must be whole for these counts').toBe(report.events);
  return { report, t: report.transport, events: trace.events };
}

/** Client → gateway frames that are data calls (history fetches and presence queries), from the trace. */
function dataCallsSent(events: readonly TraceEvent[]): number {
  return eventsOfType(events, 'net/messageSent').filter((e) => {
    const m = readWire(e.data.msg);
    return e.data.from.startsWith('c-') && m !== null && (m.type === 'history' || m.type === 'presenceQuery');
  }).length;
}

/** Frames of these types the gateway sent to clients (the answers to data calls: every history page answers a history request). */
function answersSent(events: readonly TraceEvent[], ...types: string[]): number {
  return eventsOfType(events, 'net/messageSent').filter((e) => e.data.from === 'gw' && types.includes(readWire(e.data.msg)?.type ?? '')).length;
}

/** Server → gateway answers marked as the response to a data call's own HTTP request. */
function httpMarked(events: readonly TraceEvent[]): number {
  return eventsOfType(events, 'net/messageSent').filter((e) => e.data.to === 'gw' && (e.data.msg as { http?: unknown }).http === true).length;
}

/** Every large group pulled: each member asks history for it every 2 s (a history-heavy run). */
const PULLED = { largeGroups: { mode: 'pull', thresholdMembers: 2 } };
/** Half the users go offline and come back: every reconnect catches up on every channel from history. */
const RECONNECTS = { workload: { offlineFraction: 0.5, meanOnlineMs: 8000, meanOfflineMs: 3000 } };

describe('the tcp transport (JSON frames over a raw TCP stream)', () => {
  test('tcp against websocket, sse and long polling on the same workload: no HTTP request at all and the fewest handshake bytes', () => {
    // Proves what the report says a raw TCP stream costs next to the other three: group-chat at
    // one send per user per second, at-most-once (every client request is a send, a poll or a
    // keep-alive), seed 4, each transport in turn.
    const patch = (transport: string) => ({ transport, delivery: 'at-most-once', workload: { sendRatePerUserPerSec: 1 } });
    const [ws, sse, lp, tcp] = ['websocket', 'sse', 'long-polling', 'tcp'].map((transport) => run(patch(transport), 4)) as [Run, Run, Run, Run];
    // The same workload: 587 sent, 582 stored whatever the transport.
    for (const x of [sse, lp, tcp]) expect(x.report.counts.sent).toBe(ws.report.counts.sent);
    // Measured on seed 4 (`npx vitest run --project unit src/sim/cluster/tcpTransport.test.ts`):
    //                            websocket      sse    long polling     tcp
    //   requests / send               0       0.991       7.421          0
    //   chat bytes / stored        2980        3779        8409        2986
    //   last-mile bytes         604,542   1,053,914   3,453,842     608,206
    //   connect handshake bytes   4,848       5,648       5,648         880   (8 connects each)
    // No HTTP at all on a raw stream: no POST, no poll, no data request.
    expect([tcp.t.httpPostRequests, tcp.t.httpPollRequests, tcp.t.httpDataRequests, tcp.t.chatHttpRequestsPerSentMessage]).toEqual([0, 0, 0, 0]);
    // The handshake is the connect frame and its length prefix: no HTTP upgrade, no first GET.
    for (const x of [ws, sse, lp]) expect(tcp.t.connectHandshakeBytes).toBeLessThan(x.t.connectHandshakeBytes);
    expect(tcp.t.connectHandshakes).toBe(ws.t.connectHandshakes);
    expect(ws.t.connectHandshakeBytes - tcp.t.connectHandshakeBytes).toBe(tcp.t.connectHandshakes * (TRANSPORT_BYTES.websocket.handshake - TRANSPORT_BYTES.tcp.handshake));
    // The same frames as a WebSocket and the same back end: only the per-frame overhead differs
    // (a 4-byte length prefix against a 2-byte header down and 6 up), so within 1 % per message.
    expect(tcp.t.backEndBytes).toBe(ws.t.backEndBytes);
    expect(tcp.t.chatNetworkMessagesPerStoredMessage).toBe(ws.t.chatNetworkMessagesPerStoredMessage);
    expect(Math.abs(tcp.t.chatBytesPerStoredMessage - ws.t.chatBytesPerStoredMessage)).toBeLessThan(ws.t.chatBytesPerStoredMessage / 100);
    expect(tcp.t.chatBytesPerStoredMessage).toBeLessThan(sse.t.chatBytesPerStoredMessage);
    expect(tcp.t.lastMileBytes).toBeLessThan(sse.t.lastMileBytes);
    // The connections are held as a WebSocket's are.
    expect([tcp.t.connectionsHeldAtEnd, tcp.t.connectionsHeldPeak, tcp.t.loginHandshakes]).toEqual([8, 8, 8]);
  });

  test('the schema accepts tcp and dataCalls, and both default to what every preset ran before', () => {
    // Proves the new choices are opt-in: a scenario naming neither gets websocket and stream.
    const parsed = parseScenario({ durationMs: 1000 });
    expect(parsed.ok && [parsed.scenario.transport, parsed.scenario.dataCalls]).toEqual(['websocket', 'stream']);
    const tcp = parseScenario({ durationMs: 1000, transport: 'tcp', dataCalls: 'http' });
    expect(tcp.ok && [tcp.scenario.transport, tcp.scenario.dataCalls]).toEqual(['tcp', 'http']);
    expect(parseScenario({ durationMs: 1000, dataCalls: 'grpc' }).ok).toBe(false);
  });
});

describe('data calls on the stream or as HTTP/1.1 requests (dataCalls)', () => {
  test('over HTTP a data call is exactly one HTTP request, with its request headers and a response', () => {
    // Proves the meter's count and bytes: pulled channels (history every 2 s), seed 4, over a raw
    // TCP stream and a WebSocket, with data calls on the stream and then over HTTP. The back end
    // does the same work; only the last mile changes, by exactly the HTTP headers.
    for (const transport of ['tcp', 'websocket'] as const) {
      const stream = run({ ...PULLED, transport }, 4);
      const http = run({ ...PULLED, transport, dataCalls: 'http' }, 4);
      const calls = dataCallsSent(stream.events);
      expect(calls, transport).toBeGreaterThan(400);
      expect(dataCallsSent(http.events), transport).toBe(calls);
      // One HTTP request per call, none on the stream.
      expect(http.t.httpDataRequests, transport).toBe(calls);
      expect(stream.t.httpDataRequests, transport).toBe(0);
      expect([http.t.httpPostRequests, http.t.httpPollRequests], transport).toEqual([0, 0]);
      expect(http.t.chatHttpRequestsPerSentMessage, transport).toBe(Math.round((calls / http.report.counts.sent) * 1000) / 1000);
      // The same back end and the same hops; the last mile pays a request's headers instead of a
      // frame header per call, and a response's status line and headers per answer (a call still
      // in flight at the end has no answer yet).
      expect(http.t.backEndBytes, transport).toBe(stream.t.backEndBytes);
      expect(http.t.chat.networkMessages, transport).toBe(stream.t.chat.networkMessages);
      const responses = answersSent(http.events, 'historyPage');
      expect(responses, transport).toBeLessThanOrEqual(calls);
      expect(responses, transport).toBeGreaterThan(calls - 10);
      expect(httpMarked(http.events), transport).toBeGreaterThanOrEqual(responses);
      expect(httpMarked(stream.events), transport).toBe(0);
      const b = TRANSPORT_BYTES[transport];
      expect(http.t.lastMileBytes - stream.t.lastMileBytes, transport).toBe(calls * (HTTP_REQUEST_BYTES - b.up) + responses * (HTTP_RESPONSE_BYTES - b.down));
      // Kept alive: one HTTP connection per client for the whole session (no reconnects here).
      expect(http.t.httpDataConnections, transport).toBe(8);
      expect(http.t.connectionsHeldAtEnd, transport).toBe(8);
      // The measured cost (seed 4): tcp 3,474 → 5,253 chat bytes per stored message, websocket
      // 3,495 → 5,274: the headers of ~500 history requests outweigh 185 messages' fan-out.
      expect(http.t.chatBytesPerStoredMessage, transport).toBeGreaterThan(stream.t.chatBytesPerStoredMessage * 1.4);
      expect(http.report.counts, transport).toEqual(stream.report.counts);
    }
  });

  test('reconnects: every stream session that fetches history opens its own kept-alive HTTP connection', () => {
    // Proves the keep-alive model: half the users cycle offline (seed 4); each reconnect catches
    // up from history, and an HTTP connection lives as long as the stream session that opened it.
    const stream = run({ ...RECONNECTS, transport: 'tcp' }, 4);
    const http = run({ ...RECONNECTS, transport: 'tcp', dataCalls: 'http' }, 4);
    const sessions = eventsOfType(http.events, 'client/connected').length;
    // Measured: 25 sessions, 43 history requests, 25 HTTP connections (each session fetched history).
    expect(http.t.httpDataRequests).toBe(dataCallsSent(http.events));
    expect(http.t.httpDataRequests).toBeGreaterThan(http.t.httpDataConnections);
    expect(http.t.httpDataConnections).toBe(sessions);
    expect(sessions).toBeGreaterThan(8);
    // The choice changes the measured cost: 3,458 → 3,655 chat bytes per stored message.
    expect(http.t.chatBytesPerStoredMessage).toBeGreaterThan(stream.t.chatBytesPerStoredMessage);
    expect(http.report.counts.persisted).toBe(stream.report.counts.persisted);
    expect(http.report.violations).toEqual([]);
  });

  test('SSE and long polling: a data call is an HTTP request either way, and over HTTP its answer needs no POST response or poll', () => {
    // Proves how the choice plays on the HTTP transports: pulled channels, seed 4. With SSE a
    // history request was a POST answered 200 with the page on the event stream; over HTTP it is
    // a GET answered by the page. With long polling the page no longer waits for a poll.
    const sse = run({ ...PULLED, transport: 'sse' }, 4);
    const sseHttp = run({ ...PULLED, transport: 'sse', dataCalls: 'http' }, 4);
    expect(sse.t.httpPostRequests - sseHttp.t.httpPostRequests).toBe(sseHttp.t.httpDataRequests);
    expect(sseHttp.t.chatHttpRequestsPerSentMessage).toBe(sse.t.chatHttpRequestsPerSentMessage);
    // Measured: 739,662 → 731,096 last-mile bytes (each call saves a 2xx response of its own).
    expect(sseHttp.t.lastMileBytes).toBeLessThan(sse.t.lastMileBytes);
    const lp = run({ ...PULLED, transport: 'long-polling' }, 4);
    const lpHttp = run({ ...PULLED, transport: 'long-polling', dataCalls: 'http' }, 4);
    // Measured: 698 → 192 polls, 8,860 → 6,697 chat bytes per stored message.
    expect(lpHttp.t.httpPollRequests).toBeLessThan(lp.t.httpPollRequests / 2);
    expect(lpHttp.t.chatBytesPerStoredMessage).toBeLessThan(lp.t.chatBytesPerStoredMessage);
    for (const x of [sseHttp, lpHttp]) expect(x.report.violations).toEqual([]);
  });

  test('lazy presence: each query is a data call, answered as its HTTP response', () => {
    // Proves the presence query travels like a history fetch: lazy presence on group-chat, seed 4,
    // over TCP. Every query gets its statuses back either way; over HTTP as a response.
    const stream = run({ transport: 'tcp', presence: { enabled: true, strategy: 'lazy' } }, 4);
    const http = run({ transport: 'tcp', dataCalls: 'http', presence: { enabled: true, strategy: 'lazy' } }, 4);
    const queries = (events: readonly TraceEvent[]) => eventsOfType(events, 'net/messageSent').filter((e) => e.data.from.startsWith('c-') && readWire(e.data.msg)?.type === 'presenceQuery').length;
    const seen = (events: readonly TraceEvent[]) => eventsOfType(events, 'client/presenceSeen').length;
    expect(queries(http.events)).toBeGreaterThan(0);
    expect(queries(http.events)).toBe(queries(stream.events));
    expect(seen(http.events)).toBe(seen(stream.events));
    expect(http.t.httpDataRequests).toBe(dataCallsSent(http.events));
    // Every answer the servers sent back is marked as an HTTP response (none on the stream run).
    expect(httpMarked(http.events)).toBe(answersSent(http.events, 'presence', 'historyPage'));
    expect(httpMarked(stream.events)).toBe(0);
    // The frames checker judges these answers like any frame: nothing about a non-member.
    expect(http.report.violations).toEqual([]);
  });

  test('determinism: each transport and data-call choice gives the same trace twice, and the choice changes it', () => {
    // Proves the new options replay: pulled channels, seed 9, every transport with either choice, run twice.
    for (const transport of ['websocket', 'sse', 'long-polling', 'tcp']) {
      const hashes = (['stream', 'http'] as const).map((dataCalls) => {
        const scenario = presetScenario('group-chat', { ...PULLED, transport, dataCalls, durationMs: 20_000, settleMs: 5_000 });
        const a = runScenario(scenario, { seed: 9 }).report;
        const b = runScenario(scenario, { seed: 9 }).report;
        expect(b.traceHash, `${transport} ${dataCalls}`).toBe(a.traceHash);
        expect(b.transport, `${transport} ${dataCalls}`).toEqual(a.transport);
        return a.traceHash;
      });
      expect(hashes[1], transport).not.toBe(hashes[0]);
    }
  });
});
