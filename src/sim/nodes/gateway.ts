/**
 * The gateway / load balancer. It terminates nothing: it proxies each client's connection to the
 * WebSocket server it chose at connect time (round robin, least connections, or sticky by a hash
 * of the user id), refuses connections when every live server is at its limit, and health-checks
 * the servers so that a crashed one stops receiving connections once the check notices — and
 * the connections it carried are closed, as a real proxy does when its backend goes away.
 */
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { hashString32 } from '../core/prng.ts';
import { HTTP_RESPONSE_BYTES, TRANSPORT_BYTES, type ClientFrame, type ServerFrame, type Transport, type WireMsg } from './protocol.ts';

/** Gateway configuration. */
export interface GatewayConfig {
  readonly servers: readonly string[];
  readonly strategy: 'round-robin' | 'least-connections' | 'sticky';
  readonly connectionLimitPerServer: number;
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  /** Admission control: new connections accepted per second (0: no limit), with a burst. */
  readonly admissionPerSec: number;
  readonly admissionBurst: number;
  /** The clients' transport, for what it costs on the last mile. */
  readonly transport: Transport;
}

interface ServerView {
  up: boolean;
  lastOkAt: number;
  connections: number;
  bootAt: number;
}

/** Gateway state. */
export interface GatewayState {
  readonly config: GatewayConfig;
  servers: Record<string, ServerView>;
  /** Client node → the server its connection is proxied to. */
  routes: Record<string, string>;
  /** Client node → user id (for traces). */
  users: Record<string, string>;
  rr: number;
  probe: number;
  /** Admission token bucket. */
  admitTokens: number;
  admitAt: number;
}

type Fx = Effect<WireMsg, unknown>[];

export const gateway: NodeBehavior<GatewayState, WireMsg, unknown, GatewayConfig> = {
  kind: 'gateway',
  init: (config) => ({
    config,
    // bootAt -1: not known until the first health answer.
    servers: Object.fromEntries(config.servers.map((s) => [s, { up: true, lastOkAt: 0, connections: 0, bootAt: -1 }])),
    routes: {},
    users: {},
    rr: 0,
    probe: 0,
    admitTokens: config.admissionBurst,
    admitAt: 0,
  }),
  handle(state, now, input) {
    const out: Fx = [];
    const c = state.config;
    if (input.type === 'started') {
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
      if (s !== undefined) {
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
      for (const server of state.config.servers) dropped += dropConnections(state, server, out, 'gatewayDropped');
      out.push(fx.trace('gw/reloaded', { connectionsDropped: dropped }));
    } else if (msg.type === 'toClient') {
      toClient(state, from, msg.client, msg.frame, out);
    } else {
      fromClient(state, now, from, msg as ClientFrame, out);
    }
    return { state, effects: out };
  },
};

function healthCheck(state: GatewayState, now: number, out: Fx): void {
  const c = state.config;
  state.probe++;
  for (const [id, s] of Object.entries(state.servers)) {
    if (s.up && now - s.lastOkAt > c.healthCheckTimeoutMs) {
      s.up = false;
      const dropped = dropConnections(state, id, out);
      out.push(fx.trace('gw/serverMarkedDown', { server: id, connectionsDropped: dropped }));
    }
    out.push(fx.send<WireMsg>(id, { type: 'health', n: state.probe }, 16));
  }
}

/** Closes every connection proxied to `server` so that its clients reconnect. */
function dropConnections(state: GatewayState, server: string, out: Fx, reason: 'serverCrashed' | 'gatewayDropped' = 'serverCrashed'): number {
  let dropped = 0;
  for (const [clientId, target] of Object.entries(state.routes)) {
    if (target !== server) continue;
    delete state.routes[clientId];
    dropped++;
    out.push(fx.send<WireMsg>(clientId, { type: 'closed', reason }, 16));
    // The server sees its side of the connection close too.
    if (reason === 'gatewayDropped') out.push(fx.send<WireMsg>(server, { type: 'connClosed', client: clientId }, 16));
  }
  (state.servers[server] as ServerView).connections = 0;
  return dropped;
}

function choose(state: GatewayState, user: string): { server: string } | { reason: 'noLiveServer' | 'connectionLimit' } {
  const c = state.config;
  const ids = c.servers;
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
  if (frame.type === 'connect') {
    const old = state.routes[clientId];
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
        out.push(fx.send<WireMsg>(clientId, { type: 'rejected', reason: 'admission' }, 16));
        return;
      }
      state.admitTokens -= 1;
    }
    const pick = choose(state, frame.user);
    if ('reason' in pick) {
      out.push(fx.trace('gw/connectionRejected', { user: frame.user, reason: pick.reason }));
      out.push(fx.send<WireMsg>(clientId, { type: 'rejected', reason: pick.reason }, 16));
      return;
    }
    state.routes[clientId] = pick.server;
    state.users[clientId] = frame.user;
    (state.servers[pick.server] as ServerView).connections++;
    out.push(fx.trace('gw/connectionRouted', { user: frame.user, server: pick.server, strategy: state.config.strategy }));
    out.push(fx.send<WireMsg>(pick.server, { type: 'fromClient', client: clientId, frame }, 64));
    return;
  }
  const server = state.routes[clientId];
  if (server === undefined) {
    // No connection: the frame has nowhere to go. Tell the client its connection is gone.
    if (frame.type !== 'bye') out.push(fx.send<WireMsg>(clientId, { type: 'closed', reason: 'gatewayDropped' }, 16));
    return;
  }
  out.push(fx.send<WireMsg>(server, { type: 'fromClient', client: clientId, frame }, frameBytes(frame)));
  if (frame.type === 'bye') release(state, clientId);
}

function toClient(state: GatewayState, server: string, clientId: string, frame: ServerFrame, out: Fx): void {
  if (state.routes[clientId] !== server && frame.type !== 'rejected') {
    // That proxied connection no longer exists (the client left or moved): the frame has
    // nowhere to go, and the server learns the connection is closed, as from a TCP reset.
    out.push(fx.send<WireMsg>(server, { type: 'connClosed', client: clientId }, 16));
    return;
  }
  out.push(fx.send<WireMsg>(clientId, frame, downstreamBytes(state.config.transport, frame)));
  if (frame.type === 'closed' || frame.type === 'rejected') release(state, clientId);
}

function release(state: GatewayState, clientId: string): void {
  const server = state.routes[clientId];
  if (server === undefined) return;
  delete state.routes[clientId];
  const s = state.servers[server];
  if (s !== undefined && s.connections > 0) s.connections--;
}

function frameBytes(frame: ClientFrame): number {
  return frame.type === 'send' ? 64 + frame.text.length * 2 : 32;
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
