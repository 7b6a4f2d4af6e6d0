/**
 * The gateway / load balancer. It terminates nothing: it proxies each client's connection to the
 * WebSocket server it chose at connect time (round robin, least connections, or sticky by a hash
 * of the user id), refuses connections when every live server is at its limit, and health-checks
 * the servers so that a crashed one stops receiving connections once the check notices — and
 * the connections it carried are closed, as a real proxy does when its backend goes away. It also
 * routes logins to the auth service (as an API gateway routes `/login`), stamping each with the
 * client address it came from, which the issued token is bound to (ADR 0013). Servers join and
 * leave its rotation mid-run as the orchestrator tells it (`pool/*`, ADR 0014): a new server takes
 * connections once it answers a health check; a draining one takes no new connection.
 */
import type { ClientFrame, ServerFrame, Transport, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { hashString32 } from '../core/prng.ts';
import { createSlot, decide, decisionTrace, keyOf, rateLimitedMessage, type LimiterSlot, type RateLimitConfig } from './rateLimit.ts';
import { HTTP_RESPONSE_BYTES, NODE, TRANSPORT_BYTES, clientAddress, toAddress } from './protocol.ts';

/** Gateway configuration. */
export interface GatewayConfig {
  /** The servers in service at the start, in rotation order. */
  readonly servers: readonly string[];
  /** The spare servers of the pool, not provisioned until an operator adds one (ADR 0014). */
  readonly spares?: readonly string[];
  readonly strategy: 'round-robin' | 'least-connections' | 'sticky';
  readonly connectionLimitPerServer: number;
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  /** Admission control: new connections accepted per second (0: no limit), with a burst. */
  readonly admissionPerSec: number;
  readonly admissionBurst: number;
  /** The clients' transport, for what it costs on the last mile. */
  readonly transport: Transport;
  /**
   * A warm start: users u1..u<users> are already connected through client fleets, user uN to
   * server N−1 mod the server count. Kept as a rule, not a million-entry table.
   */
  readonly warm?: { readonly users: number };
  /** Users per fleet, to rebuild a warm user's address (`fleet-k#uN`). */
  readonly warmFleetSize?: number;
  /** Rate limiting at the edge: sends over the limit never reach a server. */
  readonly rateLimit?: RateLimitConfig;
}

interface ServerView {
  up: boolean;
  lastOkAt: number;
  connections: number;
  bootAt: number;
  /** In the rotation, draining (out of it, its connections closing), or a spare not in service. */
  service: 'serving' | 'draining' | 'spare';
}

/** Gateway state. */
export interface GatewayState {
  readonly config: GatewayConfig;
  servers: Record<string, ServerView>;
  /** The servers new connections may go to, in pool order (round robin and the sticky hash walk it). */
  rotation: string[];
  /** Client address → the server its connection is proxied to (beyond the warm rule). */
  routes: Record<string, string>;
  /** Warm connections that have closed since the start. */
  warmGone: Record<string, true>;
  /**
   * How many warm addresses have an entry in `routes` or `warmGone`. While 0 (the steady state of
   * a big run), a warm address is routed by the rule alone, without a table lookup.
   */
  warmChanged: number;
  /** Client node → user id (for traces). */
  users: Record<string, string>;
  rr: number;
  probe: number;
  /** Admission token bucket. */
  admitTokens: number;
  admitAt: number;
  limiter: LimiterSlot | null;
}

type Fx = Effect<WireMsg, unknown>[];

export const gateway: NodeBehavior<GatewayState, WireMsg, unknown, GatewayConfig> = {
  kind: 'gateway',
  init: (config, _ctx, durable) => {
    const routes: Record<string, string> = {};
    const servers: Record<string, ServerView> = Object.fromEntries(config.servers.map((s) => [s, { up: true, lastOkAt: 0, connections: 0, bootAt: -1, service: 'serving' as const }]));
    for (const s of config.spares ?? []) servers[s] = { up: false, lastOkAt: 0, connections: 0, bootAt: -1, service: 'spare' };
    // A restarted gateway reads the pool's membership back from the orchestrator (its durable
    // part here), not from the build: servers added or drained before stay so.
    const pool = (durable as { pool?: Record<string, ServerView['service']> } | undefined)?.pool;
    if (pool !== undefined) {
      for (const [id, service] of Object.entries(pool)) {
        const s = servers[id];
        if (s !== undefined) Object.assign(s, { service, up: service === 'serving' });
      }
    }
    const warmUsers = config.warm?.users ?? 0;
    config.servers.forEach((id, k) => {
      // Users k+1, k+1+S, k+1+2S, … are on server k.
      (servers[id] as ServerView).connections = warmUsers > k ? Math.floor((warmUsers - k - 1) / config.servers.length) + 1 : 0;
    });
    return {
    config,
    // bootAt -1: not known until the first health answer.
    servers,
    rotation: Object.keys(servers).filter((id) => (servers[id] as ServerView).service === 'serving'),
    routes,
    warmGone: {},
    warmChanged: 0,
    users: {},
    rr: 0,
    probe: 0,
    admitTokens: config.admissionBurst,
    admitAt: 0,
    limiter: config.rateLimit === undefined ? null : createSlot(config.rateLimit),
    };
  },
  durable: (state) => ({ pool: Object.fromEntries(Object.entries(state.servers).map(([id, s]) => [id, s.service])) }),
  handle(state, now, input) {
    const out: Fx = [];
    const c = state.config;
    if (input.type === 'started') {
      // A gateway that boots (again) has heard from no server yet: each gets the full timeout
      // from now, not from time 0, or a restarted gateway would mark every server down at its
      // first check and drop the connections it has just made.
      for (const s of Object.values(state.servers)) s.lastOkAt = now;
      out.push(fx.setTimer('health', c.healthCheckIntervalMs));
      return { state, effects: out };
    }
    if (input.type === 'timer') {
      healthCheck(state, now, out);
      out.push(fx.setTimer('health', c.healthCheckIntervalMs));
      return { state, effects: out };
    }
    const msg = input.msg;
    const from = input.from;
    if (msg.type === 'healthOk') {
      const s = state.servers[from];
      // A late answer from a server that left the rotation changes nothing.
      if (s !== undefined && s.service === 'serving') {
        s.lastOkAt = now;
        if (s.up && s.bootAt >= 0 && msg.bootAt !== s.bootAt) {
          // It restarted between two checks: the connections proxied to it died with it.
          const dropped = dropConnections(state, from, out);
          out.push(fx.trace('gw/serverMarkedDown', { server: from, connectionsDropped: dropped }));
          out.push(fx.trace('gw/serverMarkedUp', { server: from }));
        }
        s.bootAt = msg.bootAt;
        if (!s.up) {
          s.up = true;
          out.push(fx.trace('gw/serverMarkedUp', { server: from }));
        }
      }
    } else if (msg.type === 'reload') {
      // An ingress reload (nginx reloads on every config change): every proxied connection drops.
      let dropped = 0;
      for (const server of Object.keys(state.servers)) dropped += dropConnections(state, server, out, 'gatewayDropped');
      out.push(fx.trace('gw/reloaded', { connectionsDropped: dropped }));
    } else if (msg.type === 'pool/serverAdded' || msg.type === 'pool/serverDraining' || msg.type === 'pool/serverStopped') {
      if (from === 'operator') onPoolNotice(state, now, msg, out);
    } else if (msg.type === 'auth/issued') {
      out.push(sendTo(msg.client, { type: 'loginOk', token: msg.token, expiresAtMs: msg.expiresAtMs }, HTTP_RESPONSE_BYTES + msg.token.length));
    } else if (msg.type === 'auth/refused') {
      out.push(sendTo(msg.client, { type: 'authError', phase: 'login', reason: msg.reason }, HTTP_RESPONSE_BYTES));
    } else if (msg.type === 'toClient') {
      toClient(state, from, msg.client, msg.frame, out, msg.http === true);
    } else if (msg.type === 'fromUser') {
      fromClient(state, now, clientAddress(from, msg.user), msg.frame, out);
    } else {
      fromClient(state, now, from, msg as ClientFrame, out);
    }
    return { state, effects: out };
  },
};

/**
 * The orchestrator's notices (ADR 0014). A new server joins the rotation down and is probed at
 * once: it takes connections after its first health answer, as a load balancer's new target does.
 * A draining server leaves the rotation; its connections stay proxied while the server closes
 * them. A stopped server's last connections, if any, are closed here.
 */
function onPoolNotice(state: GatewayState, now: number, msg: Extract<WireMsg, { type: 'pool/serverAdded' | 'pool/serverDraining' | 'pool/serverStopped' }>, out: Fx): void {
  const s = state.servers[msg.server];
  if (s === undefined) return;
  if (msg.type === 'pool/serverAdded') {
    Object.assign(s, { service: 'serving', up: false, lastOkAt: now, connections: 0, bootAt: -1 });
    state.rotation = Object.keys(state.servers).filter((id) => (state.servers[id] as ServerView).service === 'serving');
    out.push(fx.trace('gw/serverAdded', { server: msg.server, servers: [...state.rotation] }));
    out.push(fx.control<WireMsg>(msg.server, { type: 'health', n: state.probe }, 16));
  } else if (msg.type === 'pool/serverDraining') {
    s.service = 'draining';
    state.rotation = state.rotation.filter((id) => id !== msg.server);
    out.push(fx.trace('gw/serverDraining', { server: msg.server, connections: s.connections, servers: [...state.rotation] }));
  } else {
    s.service = 'spare';
    s.up = false;
    const dropped = dropConnections(state, msg.server, out, 'serverDraining');
    out.push(fx.trace('gw/serverRemoved', { server: msg.server, connectionsDropped: dropped }));
  }
}

function healthCheck(state: GatewayState, now: number, out: Fx): void {
  const c = state.config;
  state.probe++;
  for (const [id, s] of Object.entries(state.servers)) {
    // Only the rotation is probed: a spare is not there, and a draining server takes no new connection.
    if (s.service !== 'serving') continue;
    if (s.up && now - s.lastOkAt > c.healthCheckTimeoutMs) {
      s.up = false;
      const dropped = dropConnections(state, id, out);
      out.push(fx.trace('gw/serverMarkedDown', { server: id, connectionsDropped: dropped }));
    }
    out.push(fx.control<WireMsg>(id, { type: 'health', n: state.probe }, 16));
  }
}

/** The server a client address is proxied to, if it has a connection. */
function route(state: GatewayState, address: string): string | undefined {
  const n = warmUser(state, address);
  if (n >= 0 && state.warmChanged === 0) return state.config.servers[n % state.config.servers.length];
  const explicit = state.routes[address];
  if (explicit !== undefined) return explicit;
  return n < 0 || state.warmGone[address] === true ? undefined : state.config.servers[n % state.config.servers.length];
}

/** The 0-based user index of a warm fleet address that is still connected, else -1. */
function warmIndex(state: GatewayState, address: string): number {
  const n = warmUser(state, address);
  return n < 0 || state.warmGone[address] === true ? -1 : n;
}

/**
 * The 0-based index of the user in a warm fleet address (`fleet-k#uN` → N−1), or -1. Parsed with
 * char codes: this runs for every frame of a million users.
 */
function warmUser(state: GatewayState, address: string): number {
  const warm = state.config.warm;
  if (warm === undefined) return -1;
  const hash = address.indexOf('#u');
  if (hash < 0) return -1;
  let n = 0;
  for (let i = hash + 2; i < address.length; i++) {
    const d = address.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n >= 1 && n <= warm.users ? n - 1 : -1;
}

function forget(state: GatewayState, address: string): void {
  // warmChanged counts warm addresses with a route or a gone mark: a warm address that had
  // neither gains one here; one that had a route keeps being counted (now as gone).
  const hadRoute = state.routes[address] !== undefined;
  delete state.routes[address];
  if (warmIndex(state, address) >= 0) {
    state.warmGone[address] = true;
    if (!hadRoute) state.warmChanged++;
  }
}

/** Every client address currently proxied to `server`. */
function addressesOn(state: GatewayState, server: string): string[] {
  const out = Object.entries(state.routes).filter(([, target]) => target === server).map(([a]) => a);
  const warm = state.config.warm;
  const k = state.config.servers.indexOf(server);
  if (warm !== undefined && k >= 0) {
    // Warm users are played by fleets named by block; rebuild their addresses from the rule.
    for (let n = k; n < warm.users; n += state.config.servers.length) {
      const address = warmAddress(state, n);
      if (address !== undefined && state.routes[address] === undefined && state.warmGone[address] !== true) out.push(address);
    }
  }
  return out;
}

function warmAddress(state: GatewayState, n: number): string | undefined {
  const per = state.config.warmFleetSize;
  return per === undefined ? undefined : `fleet-${Math.floor(n / per) + 1}#u${n + 1}`;
}

/** Closes every connection proxied to `server` so that its clients reconnect. */
function dropConnections(state: GatewayState, server: string, out: Fx, reason: 'serverCrashed' | 'gatewayDropped' | 'serverDraining' = 'serverCrashed'): number {
  let dropped = 0;
  for (const clientId of addressesOn(state, server)) {
    forget(state, clientId);
    dropped++;
    out.push(sendTo(clientId, { type: 'closed', reason }, 16));
    // The server sees its side of the connection close too.
    if (reason === 'gatewayDropped') out.push(fx.send<WireMsg>(server, { type: 'connClosed', client: clientId }, 16));
  }
  (state.servers[server] as ServerView).connections = 0;
  return dropped;
}

function choose(state: GatewayState, user: string): { server: string } | { reason: 'noLiveServer' | 'connectionLimit' } {
  const c = state.config;
  const ids = state.rotation;
  const live = ids.filter((id) => (state.servers[id] as ServerView).up);
  if (live.length === 0) return { reason: 'noLiveServer' };
  const open = live.filter((id) => (state.servers[id] as ServerView).connections < c.connectionLimitPerServer);
  if (open.length === 0) return { reason: 'connectionLimit' };
  switch (c.strategy) {
    case 'round-robin': {
      // Walk the ring from the pointer to the next server that can take a connection.
      for (let i = 0; i < ids.length; i++) {
        const id = ids[(state.rr + i) % ids.length] as string;
        if (open.includes(id)) {
          state.rr = (state.rr + i + 1) % ids.length;
          return { server: id };
        }
      }
      return { reason: 'connectionLimit' };
    }
    case 'least-connections': {
      let best = open[0] as string;
      for (const id of open) if ((state.servers[id] as ServerView).connections < (state.servers[best] as ServerView).connections) best = id;
      return { server: best };
    }
    case 'sticky': {
      // The user's home server by hash; if it cannot take the connection, the next one in the ring.
      const home = hashString32(user) % ids.length;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[(home + i) % ids.length] as string;
        if (open.includes(id)) return { server: id };
      }
      return { reason: 'connectionLimit' };
    }
  }
}

function fromClient(state: GatewayState, now: number, clientId: string, frame: ClientFrame, out: Fx): void {
  if (frame.type === 'login') {
    // The client address is the gateway's own knowledge of where the request came from: a client
    // cannot choose it, so a token bound to it cannot be used from another connection.
    out.push(fx.send<WireMsg>(NODE.auth, { type: 'auth/login', client: clientId, user: frame.user, nonce: frame.nonce, atMs: frame.atMs, proof: frame.proof }, 96));
    return;
  }
  if (frame.type === 'connect') {
    const old = route(state, clientId);
    if (old !== undefined) {
      // A reconnect while the old connection looked alive: close the old one at its server.
      release(state, clientId);
      out.push(fx.send<WireMsg>(old, { type: 'connClosed', client: clientId }, 16));
    }
    if (state.config.admissionPerSec > 0) {
      const c = state.config;
      state.admitTokens = Math.min(c.admissionBurst, state.admitTokens + ((now - state.admitAt) * c.admissionPerSec) / 1000);
      state.admitAt = now;
      if (state.admitTokens < 1) {
        out.push(fx.trace('gw/connectionRejected', { user: frame.user, reason: 'admission' }));
        out.push(sendTo(clientId, { type: 'rejected', reason: 'admission' }, 16));
        return;
      }
      state.admitTokens -= 1;
    }
    const pick = choose(state, frame.user);
    if ('reason' in pick) {
      out.push(fx.trace('gw/connectionRejected', { user: frame.user, reason: pick.reason }));
      out.push(sendTo(clientId, { type: 'rejected', reason: pick.reason }, 16));
      return;
    }
    // A warm user's own address now has an explicit route (or keeps its gone mark replaced).
    if (warmUser(state, clientId) >= 0 && state.routes[clientId] === undefined && state.warmGone[clientId] !== true) state.warmChanged++;
    state.routes[clientId] = pick.server;
    delete state.warmGone[clientId];
    state.users[clientId] = frame.user;
    (state.servers[pick.server] as ServerView).connections++;
    out.push(fx.trace('gw/connectionRouted', { user: frame.user, server: pick.server, strategy: state.config.strategy }));
    out.push(fx.send<WireMsg>(pick.server, { type: 'fromClient', client: clientId, frame }, 64));
    return;
  }
  const server = route(state, clientId);
  if (server !== undefined && frame.type === 'send' && state.limiter !== null) {
    const hash = clientId.indexOf('#');
    const user = state.users[clientId] ?? (hash >= 0 ? clientId.slice(hash + 1) : clientId.slice(2));
    const { decision, data } = decide(state.limiter, keyOf(state.limiter.config, user), now);
    if (data !== null) out.push(decisionTrace(data, decision?.allowed ?? true));
    if (decision !== null && !decision.allowed) {
      const retryAfterMs = decision.retryAfterMs ?? undefined;
      out.push(sendTo(clientId, { type: 'sendError', clientMsgId: frame.clientMsgId, channel: frame.channel, code: 'RATE_LIMITED', message: rateLimitedMessage(state.limiter.config, decision.retryAfterMs), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, 96));
      return;
    }
  }
  if (server === undefined) {
    // No connection: the frame has nowhere to go. Tell the client its connection is gone.
    if (frame.type !== 'bye') out.push(sendTo(clientId, { type: 'closed', reason: 'gatewayDropped' }, 16));
    return;
  }
  const forward: WireMsg = { type: 'fromClient', client: clientId, frame };
  out.push(frame.type === 'ping' ? fx.control<WireMsg>(server, forward, frameBytes(frame)) : fx.send<WireMsg>(server, forward, frameBytes(frame)));
  if (frame.type === 'bye') release(state, clientId);
}

function toClient(state: GatewayState, server: string, clientId: string, frame: ServerFrame, out: Fx, httpResponse = false): void {
  if (route(state, clientId) !== server && frame.type !== 'rejected' && frame.type !== 'authError') {
    // That proxied connection no longer exists (the client left or moved): the frame has
    // nowhere to go, and the server learns the connection is closed, as from a TCP reset.
    out.push(fx.send<WireMsg>(server, { type: 'connClosed', client: clientId }, 16));
    return;
  }
  out.push(sendTo(clientId, frame, httpResponse ? HTTP_RESPONSE_BYTES + payloadBytes(frame) : downstreamBytes(state.config.transport, frame)));
  if (frame.type === 'closed' || frame.type === 'rejected' || frame.type === 'authError') release(state, clientId);
}

function release(state: GatewayState, clientId: string): void {
  const server = route(state, clientId);
  if (server === undefined) return;
  forget(state, clientId);
  const s = state.servers[server];
  if (s !== undefined && s.connections > 0) s.connections--;
}

function frameBytes(frame: ClientFrame): number {
  return frame.type === 'send' ? 64 + frame.text.length * 2 : 32;
}

/** A frame to a client node, or to one user of a client fleet. */
function sendTo(address: string, frame: ServerFrame, bytes: number): Effect<WireMsg, unknown> {
  const { to, msg } = toAddress(address, frame);
  return frame.type === 'pong' ? fx.control<WireMsg>(to, msg, bytes) : fx.send<WireMsg>(to, msg, bytes);
}

/** Bytes of a server frame on the last mile, with the transport's overhead. */
function downstreamBytes(transport: Transport, frame: ServerFrame): number {
  if (frame.type === 'pollResponse') return HTTP_RESPONSE_BYTES + frame.frames.reduce((n, f) => n + payloadBytes(f) + 2, 0);
  if (frame.type === 'httpOk') return HTTP_RESPONSE_BYTES;
  return payloadBytes(frame) + TRANSPORT_BYTES[transport].down;
}

function payloadBytes(frame: ServerFrame): number {
  if (frame.type === 'deliver') return 96 + frame.message.text.length * 2;
  if (frame.type === 'historyPage') return 48 + frame.messages.reduce((n, m) => n + 96 + m.text.length * 2, 0);
  return 48;
}
