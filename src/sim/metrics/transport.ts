/**
 * The run's transport costs, online: bytes on the last mile and in the back end, HTTP requests,
 * handshakes and held connections, with keep-alive traffic kept apart from chat traffic so that
 * per-message figures do not grow with the run's length (docs/CALIBRATION.md, "Transport costs").
 *
 * Keep-alive traffic is what the nodes mark `control` (pings, pongs, health checks, broker pings,
 * presence heartbeats) plus long polls answered empty: a poll is held until its answer says
 * whether it carried anything, so its hops wait, per client, until then. Control messages that a
 * run only counts (`trace.control: 'counted'`, ADR 0007) never reach the trace; the simulator
 * tallies them per link and {@link TransportMeter.costs} adds them.
 */
import { isDataCall, readWire, type ClusterInfo, type ClientFrame, type DataCalls, type ServerFrame, type TraceEvent, type Transport, type TransportCosts, type WireMsg } from '../contract/index.ts';

/** Control traffic the simulator counted instead of recording, by link. */
export interface CountedControlTraffic {
  readonly from: string;
  readonly to: string;
  readonly messages: number;
  readonly bytes: number;
}

/** Wire types the nodes send as keep-alives (`fx.control`): the same set, traced or counted. */
const CONTROL_TYPES: ReadonlySet<string> = new Set(['ping', 'pong', 'health', 'healthOk', 'brokerPing', 'brokerPong', 'presence/beat']);

/** The client or server frame a message carries (a fleet's or the gateway's wrapper unwrapped). */
function frameOf(msg: WireMsg): WireMsg | ClientFrame | ServerFrame {
  return msg.type === 'fromUser' || msg.type === 'toUser' || msg.type === 'fromClient' || msg.type === 'toClient' ? msg.frame : msg;
}

/** The client address a client frame concerns (`c-u1`, or `fleet-2#u7` for a fleet's user). */
function clientOf(msg: WireMsg, from: string, to: string, fromClient: boolean): string {
  switch (msg.type) {
    case 'fromUser':
      return `${from}#${msg.user}`;
    case 'toUser':
      return `${to}#${msg.user}`;
    case 'fromClient':
    case 'toClient':
      return msg.client;
    default:
      return fromClient ? from : to;
  }
}

interface Tally {
  messages: number;
  bytes: number;
  lastMileBytes: number;
  requests: number;
}

function tally(): Tally {
  return { messages: 0, bytes: 0, lastMileBytes: 0, requests: 0 };
}

function add(t: Tally, bytes: number, lastMile: boolean, request: boolean): void {
  t.messages++;
  t.bytes += bytes;
  if (lastMile) t.lastMileBytes += bytes;
  if (request) t.requests++;
}

function addAll(t: Tally, u: Tally): void {
  t.messages += u.messages;
  t.bytes += u.bytes;
  t.lastMileBytes += u.lastMileBytes;
  t.requests += u.requests;
}

/** Rounds to 3 decimals, as the rest of the report does. */
function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Measures a run's transport costs from its trace events, one event at a time, keeping counters
 * and a small map per client (its online state when it changed, its polls still held).
 *
 * @example
 * const meter = new TransportMeter(info, 'sse');
 * sim.trace.subscribe((e) => meter.observe(e));
 * meter.costs(persisted, sent, sim.controlTrafficByLink()).chatBytesPerStoredMessage;
 */
export class TransportMeter {
  private readonly keepAlive = tally();
  private readonly chat = tally();
  /** Polls (every hop) not answered yet, by client address. */
  private readonly heldPolls = new Map<string, Tally>();
  private httpPosts = 0;
  private httpPolls = 0;
  private httpData = 0;
  private httpDataConns = 0;
  /** Client addresses holding a kept-alive HTTP connection for data calls (until their stream ends). */
  private readonly dataConnOpen = new Set<string>();
  private connects = 0;
  private connectBytes = 0;
  private logins = 0;
  /** Users whose connection state an event changed: true while connected. */
  private readonly connected = new Map<string, boolean>();
  private held: number;
  private heldPeak: number;

  /**
   * @param info the cluster's node kinds (which links are the last mile) and its warm start.
   * @param transport how clients talk to the cluster: with SSE and long polling every client
   *   frame but a handshake is an HTTP request.
   * @param dataCalls how history fetches and presence queries travel: with `http` each is an HTTP
   *   request of its own on a kept-alive connection (ADR 0017).
   */
  constructor(
    private readonly info: ClusterInfo,
    private readonly transport: Transport,
    private readonly dataCalls: DataCalls = 'stream',
  ) {
    this.held = info.warmStartUsers ?? 0;
    this.heldPeak = this.held;
  }

  private isClient(node: string): boolean {
    const kind = this.info.nodeKinds.get(node);
    return kind === 'client' || kind === 'client-fleet';
  }

  /** Warm-started users are connected at t = 0 without an event (ADR 0007). */
  private wasConnected(user: string): boolean {
    const known = this.connected.get(user);
    if (known !== undefined) return known;
    const warm = this.info.warmStartUsers ?? 0;
    if (warm <= 0 || !user.startsWith('u')) return false;
    const n = Number(user.slice(1));
    return Number.isInteger(n) && n >= 1 && n <= warm;
  }

  private setConnected(user: string, now: boolean): void {
    const before = this.wasConnected(user);
    this.connected.set(user, now);
    // The app closes its data connection with its stream; the next session opens a new one.
    if (!now) this.dataConnOpen.delete(`c-${user}`);
    if (before === now) return;
    this.held += now ? 1 : -1;
    if (this.held > this.heldPeak) this.heldPeak = this.held;
  }

  /** Takes one event; call for every event in seq order. */
  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'client/connected':
        this.setConnected(e.data.user, true);
        return;
      case 'client/disconnected':
      case 'client/wentOffline':
        this.setConnected(e.data.user, false);
        return;
      case 'net/messageSent':
        this.onSent(e.data.from, e.data.to, e.data.msg, e.data.bytes ?? 0);
        return;
    }
  }

  private onSent(from: string, to: string, payload: unknown, bytes: number): void {
    const msg = readWire(payload);
    const fromClient = this.isClient(from);
    const toClient = this.isClient(to);
    const lastMile = fromClient || toClient;
    if (msg === null) {
      add(this.chat, bytes, lastMile, false);
      return;
    }
    const frame = frameOf(msg);
    const type = frame.type;
    // A client's own requests: handshakes, data calls over HTTP, and with SSE and long polling an
    // HTTP request each.
    let request = false;
    if (fromClient) {
      if (type === 'connect') {
        this.connects++;
        this.connectBytes += bytes;
      } else if (type === 'login') this.logins++;
      else if (type === 'poll') {
        this.httpPolls++;
        request = true;
      } else if (this.dataCalls === 'http' && isDataCall(frame)) {
        this.httpData++;
        request = true;
        const client = clientOf(msg, from, to, fromClient);
        if (!this.dataConnOpen.has(client)) {
          this.dataConnOpen.add(client);
          this.httpDataConns++;
        }
      } else if ((this.transport === 'sse' || this.transport === 'long-polling') && type !== 'bye') {
        this.httpPosts++;
        request = true;
      }
    }
    if (CONTROL_TYPES.has(type)) {
      add(this.keepAlive, bytes, lastMile, request);
      return;
    }
    if (type === 'poll') {
      const client = clientOf(msg, from, to, fromClient);
      let held = this.heldPolls.get(client);
      if (held === undefined) {
        held = tally();
        this.heldPolls.set(client, held);
      }
      add(held, bytes, lastMile, request);
      return;
    }
    if (type === 'pollResponse') {
      // The answer decides what its polls were: keep-alive when it carried nothing.
      const empty = (frame as Extract<ServerFrame, { type: 'pollResponse' }>).frames.length === 0;
      const into = empty ? this.keepAlive : this.chat;
      add(into, bytes, lastMile, false);
      const client = clientOf(msg, from, to, fromClient);
      const held = this.heldPolls.get(client);
      if (held !== undefined) {
        addAll(into, held);
        this.heldPolls.delete(client);
      }
      return;
    }
    add(this.chat, bytes, lastMile, request);
  }

  /**
   * The costs as if the run ended now (polls still held count as keep-alive: nothing has come
   * back on them yet). Changes nothing, so observing may go on.
   *
   * @param persisted messages the database confirmed (the per-message figures' denominator).
   * @param sent messages users sent (first attempts).
   * @param counted control traffic the simulator counted instead of recording.
   */
  costs(persisted: number, sent: number, counted: readonly CountedControlTraffic[]): TransportCosts {
    const keepAlive = tally();
    addAll(keepAlive, this.keepAlive);
    for (const held of this.heldPolls.values()) addAll(keepAlive, held);
    let countedPosts = 0;
    for (const c of counted) {
      const lastMile = this.isClient(c.from) || this.isClient(c.to);
      // A counted ping from a client is a POST with SSE and long polling (fleets use WebSocket).
      const posts = this.isClient(c.from) && (this.transport === 'sse' || this.transport === 'long-polling') ? c.messages : 0;
      keepAlive.messages += c.messages;
      keepAlive.bytes += c.bytes;
      if (lastMile) keepAlive.lastMileBytes += c.bytes;
      keepAlive.requests += posts;
      countedPosts += posts;
    }
    const chat = this.chat;
    const lastMileBytes = keepAlive.lastMileBytes + chat.lastMileBytes;
    return {
      lastMileBytes,
      backEndBytes: keepAlive.bytes + chat.bytes - lastMileBytes,
      httpPostRequests: this.httpPosts + countedPosts,
      httpPollRequests: this.httpPolls,
      httpDataRequests: this.httpData,
      httpDataConnections: this.httpDataConns,
      connectHandshakes: this.connects,
      connectHandshakeBytes: this.connectBytes,
      loginHandshakes: this.logins,
      connectionsHeldAtEnd: this.held,
      connectionsHeldPeak: this.heldPeak,
      keepAlive: { networkMessages: keepAlive.messages, bytes: keepAlive.bytes },
      chat: { networkMessages: chat.messages, bytes: chat.bytes },
      chatBytesPerStoredMessage: persisted > 0 ? round3(chat.bytes / persisted) : 0,
      chatNetworkMessagesPerStoredMessage: persisted > 0 ? round3(chat.messages / persisted) : 0,
      chatHttpRequestsPerSentMessage: sent > 0 ? round3(chat.requests / sent) : 0,
    };
  }
}
