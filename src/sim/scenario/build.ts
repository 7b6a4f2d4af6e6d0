/**
 * Turns a validated scenario and a seed into a topology the simulator runs: nodes with their
 * behaviours, configs and CPU models, the link classes between them, and the fault script. Also
 * returns the static facts (channels and members, which node plays which user) that checkers
 * and metrics need.
 */
import { ratioFromFraction, type DistSpec, Zipf } from '../core/dist.ts';
import { Prng } from '../core/prng.ts';
import type { LinkConfig, LinkSpec } from '../net/network.ts';
import type { NodeSpec, SimulationConfig } from '../engine/simulation.ts';
import type { ClusterInfo, WireMsg } from '../contract/index.ts';
import { auth, passwordOf, type AuthKeys } from '../nodes/auth.ts';
import { broker } from '../nodes/broker.ts';
import { chatService } from '../nodes/chatService.ts';
import { client, type ClientConfig } from '../nodes/client.ts';
import { clientFleet } from '../nodes/clientFleet.ts';
import { database } from '../nodes/database.ts';
import { directory } from '../nodes/directory.ts';
import { gateway } from '../nodes/gateway.ts';
import { notifier } from '../nodes/notifier.ts';
import { presence } from '../nodes/presence.ts';
import { NODE, clientAddress } from '../nodes/protocol.ts';
import { sequencer } from '../nodes/sequencer.ts';
import { sessionStore } from '../nodes/sessionStore.ts';
import { limiterService } from '../nodes/limiterService.ts';
import type { RateLimitConfig } from '../nodes/rateLimit.ts';
import { wsServer } from '../nodes/wsServer.ts';
import type { Scenario } from './schema.ts';
import { injectProblem } from './inject.ts';
import { limiterKeysOf } from './bounds.ts';

/** A built cluster: what to simulate and what checkers need to know about it. */
export interface BuiltCluster {
  readonly config: SimulationConfig;
  readonly info: ClusterInfo;
}

type LinkInput = Scenario['network']['client'];

function link(l: LinkInput, overrides: Partial<LinkConfig> = {}): Partial<LinkConfig> {
  return {
    latencyMs: l.latencyMs,
    // Always explicit: a link class without jitter must not inherit the default link's.
    jitter: (l.jitter ?? { kind: 'constant', valueMs: 0 }) as DistSpec,
    ...(l.lossRatio > 0 ? { loss: ratioFromFraction(l.lossRatio) } : {}),
    ...(l.duplicateRatio > 0 ? { duplicate: ratioFromFraction(l.duplicateRatio) } : {}),
    fifo: l.fifo,
    bandwidthBytesPerMs: l.bandwidthBytesPerMs,
    ...overrides,
  };
}

/** Channels of a scenario: explicit, or generated from private chats and groups with the seed. */
export function buildChannels(s: Scenario, seed: number): { id: string; members: string[] }[] {
  if (s.workload.channels !== undefined) return s.workload.channels.map((c) => ({ id: c.id, members: [...new Set(c.members)] }));
  const users = Array.from({ length: s.workload.users }, (_, i) => `u${i + 1}`);
  const rng = new Prng(seed).fork('workload:channels');
  const out: { id: string; members: string[] }[] = [];
  const seen = new Set<string>();
  for (let i = 0, tries = 0; i < s.workload.privateChats && tries < s.workload.privateChats * 20; tries++) {
    const a = rng.nextInt(users.length);
    let b = rng.nextInt(users.length - 1);
    if (b >= a) b++;
    const pair = [users[a] as string, users[b] as string].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
    const id = `dm:${pair[0]}:${pair[1]}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, members: pair });
    i++;
  }
  const g = s.workload.groups;
  if (g.membership === 'partition' && g.size.kind === 'fixed') {
    // Every user in exactly one group: one shuffle, cut into consecutive blocks.
    const order = rng.shuffled(users);
    for (let i = 0; i < g.count; i++) {
      const members = order.slice(i * g.size.size, (i + 1) * g.size.size);
      if (members.length < 2) break;
      out.push({ id: `g${i + 1}`, members });
    }
    return out;
  }
  const zipf = g.size.kind === 'zipf' ? new Zipf(Math.min(g.size.max, users.length), g.size.exponent) : null;
  for (let i = 0; i < g.count; i++) {
    // Zipf sizes start at 2 (a group of one is not a chat): rank k → size k + 1, capped.
    const size = g.size.kind === 'fixed' ? g.size.size : Math.min(users.length, (zipf as Zipf).sample(rng) + 1);
    out.push({ id: `g${i + 1}`, members: rng.shuffled(users).slice(0, size).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))) });
  }
  return out;
}

/**
 * Builds the topology of a scenario.
 *
 * @example
 * const parsed = parseScenario(presetById('group-chat')!.scenario);
 * if (parsed.ok) new Simulation(buildCluster(parsed.scenario, 42).config).runUntil(60_000);
 */
export function buildCluster(s: Scenario, seed: number): BuiltCluster {
  const users = Array.from({ length: s.workload.users }, (_, i) => `u${i + 1}`);
  const channels = buildChannels(s, seed);
  const channelsOf = new Map<string, string[]>();
  // Personal channels are implicit (see ClusterInfo.personalChannelUsers), but every user is in theirs.
  if (s.workload.personalChannels) for (const u of users) channelsOf.set(u, [`p:${u}`]);
  for (const ch of channels) for (const u of ch.members) channelsOf.set(u, [...(channelsOf.get(u) ?? []), ch.id]);
  // The servers in service at the start, and the pool with its spares (ADR 0014): a spare is a
  // node from the start, not provisioned until an operator adds it, so nothing changes shape mid-run.
  const wsIds = Array.from({ length: s.topology.wsServers }, (_, i) => NODE.ws(i + 1));
  const poolIds = Array.from({ length: Math.max(s.topology.wsServers, s.topology.maxWsServers) }, (_, i) => NODE.ws(i + 1));
  const spareIds = poolIds.slice(wsIds.length);
  const hasBroker = s.broker.kind !== 'none';
  const global = s.chat.ordering === 'global';
  const mapping = !hasBroker || s.mapping.enabled;
  const membersOf = new Map(channels.map((c) => [c.id, c.members]));
  // Clients and presence look members up by channel in plain objects; fleets do not need them.
  const fleetsMode = s.workload.clients === 'fleets';
  const channelMembers: Record<string, readonly string[]> = fleetsMode && !s.presence.enabled ? {} : Object.fromEntries(membersOf);
  // Large groups: which channels members poll instead of receiving pushes.
  const lg = s.largeGroups;
  const pulledChannels = channels
    .filter((c) => lg.mode === 'pull' || (lg.mode === 'hybrid' && c.members.length > lg.thresholdMembers))
    .map((c) => c.id);
  const pulledSet = new Set(pulledChannels);
  const stateless = s.wsServer.state === 'stateless';
  // The limiter allocates its arrays up front and every snapshot copies them, so it holds the keys
  // this cluster can produce (its users, or their addresses), with room to spare for users an
  // operator makes up, rather than the configured ceiling: the same decisions, a fraction of the
  // memory (the rate-limit preset's snapshots went from 33 ms to well under 1 ms).
  const rl: RateLimitConfig | undefined = s.rateLimit.enabled
    ? {
        placement: s.rateLimit.placement,
        keyBy: s.rateLimit.keyBy,
        usersPerIp: s.rateLimit.usersPerIp,
        spec: s.rateLimit.limiter,
        maxKeys: limiterKeysOf(s),
      }
    : undefined;
  const rlAt = (placement: RateLimitConfig['placement']): { rateLimit?: RateLimitConfig } => (rl !== undefined && rl.placement === placement ? { rateLimit: rl } : {});
  // Fleets: users in blocks of usersPerFleet per node. A warm start connects user i to server
  // i mod N through the gateway, as round robin would have.
  const fleets = s.workload.clients === 'fleets';
  const fleetOf = (i: number): string => `fleet-${Math.floor(i / s.workload.usersPerFleet) + 1}`;
  const warm = fleets && s.workload.warmStart;
  const warmByServer = new Map<string, { users: string[]; clients: string[]; channels: (readonly string[])[] }>(wsIds.map((id) => [id, { users: [], clients: [], channels: [] }]));
  if (warm) {
    users.forEach((user, i) => {
      const server = wsIds[i % wsIds.length] as string;
      const address = clientAddress(fleetOf(i), user);
      const w = warmByServer.get(server) as { users: string[]; clients: string[]; channels: (readonly string[])[] };
      w.users.push(user);
      w.clients.push(address);
      w.channels.push(channelsOf.get(user) ?? []);
    });
  }

  // The auth service's keys, drawn from its node's fork of the seed (a fork does not depend on how
  // much the node draws, so this is the same stream the node would see, and nothing else moves).
  const keyRng = new Prng(seed).fork(`node:${NODE.auth}`).fork('keys');
  const hex = (): string => keyRng.nextUint32().toString(16).padStart(8, '0') + keyRng.nextUint32().toString(16).padStart(8, '0');
  const authKeys: AuthKeys = { signingKey: hex(), credentialKey: hex() };

  // Who connects when, and who goes offline, are drawn from their own streams of the seed.
  const connectRng = new Prng(seed).fork('workload:connect');
  const offlineRng = new Prng(seed).fork('workload:offline');
  const cyclers = new Set(offlineRng.shuffled(users).slice(0, Math.round(s.workload.offlineFraction * users.length)));

  const nodeKinds = new Map<string, string>();
  const nodes: NodeSpec[] = [];
  const add = (spec: NodeSpec, kind: string): void => {
    nodes.push(spec);
    nodeKinds.set(spec.id, kind);
  };
  const instant = { serviceTime: { kind: 'constant', valueMs: 0 } as DistSpec, queueCapacity: 1_000_000 };

  add(
    {
      id: NODE.gateway,
      behavior: gateway,
      config: { servers: wsIds, spares: spareIds, ...s.gateway, ...rlAt('gateway'), transport: s.transport, ...(warm ? { warm: { users: users.length }, warmFleetSize: s.workload.usersPerFleet } : {}) },
      cpu: instant,
    },
    'gateway',
  );
  for (const id of poolIds) {
    add(
      {
        id,
        behavior: wsServer,
        config: {
          broker: s.broker.kind,
          // A stateless server keeps no channel → connection map to subscribe by: it takes every
          // message and asks the store who should get it.
          routing: stateless ? 'broadcast' : s.broker.routing,
          partitions: s.broker.partitions,
          drainReportBytes: s.broker.drainReportBytes,
          sendQueueLimitBytes: s.wsServer.sendQueueLimitBytes,
          batchWindowMs: s.wsServer.batchWindowMs,
          batchOffsetMaxMs: s.wsServer.batchOffsetMaxMs,
          delivery: s.delivery,
          ackTimeoutMs: s.client.ackTimeoutMs,
          brokerPingIntervalMs: s.broker.pingIntervalMs,
          brokerPingTimeoutMs: s.broker.pingTimeoutMs,
          presence: s.presence.enabled,
          mapping,
          pulledChannels,
          transport: s.transport,
          ...(s.dataCalls === 'http' ? { dataCalls: 'http' as const } : {}),
          pollTimeoutMs: s.pollTimeoutMs,
          idleTimeoutMs: s.wsServer.idleTimeoutMs,
          stateless,
          ...(warm ? { warm: warmByServer.get(id) } : {}),
          ...rlAt('ws-server'),
          ...rlAt('service'),
          limiterTimeoutMs: s.rateLimit.serviceTimeoutMs,
          limiterFailOpen: s.rateLimit.failOpen,
          signingKey: authKeys.signingKey,
          // Without a broker a server calls the others itself (ADR 0022).
          ...(hasBroker ? {} : { serverCalls: { ...s.serverCalls, cpuServiceTime: s.wsServer.cpu.serviceTime as DistSpec } }),
          blocking: s.wsServer.blockingHandler?.server === id ? { everyNth: s.wsServer.blockingHandler.everyNth, durationMs: s.wsServer.blockingHandler.durationMs } : null,
        },
        // The default single event loop stays exactly today's CPU (ADR 0016).
        cpu: s.wsServer.workers.model === 'single' ? s.wsServer.cpu : { ...s.wsServer.cpu, workers: s.wsServer.workers },
      },
      'ws-server',
    );
  }
  if (hasBroker) {
    add(
      {
        id: NODE.broker,
        behavior: broker,
        config: {
          kind: s.broker.kind,
          // The whole pool: after a restart the broker resets every connection it may have had
          // (a spare's reset is lost on the way, harmlessly: it had no subscription).
          servers: poolIds,
          outputBufferLimitBytes: s.broker.outputBufferLimitBytes,
          partitions: s.broker.partitions,
          retentionMessages: s.broker.retentionMessages,
          fetchMaxRecords: s.broker.fetchMaxRecords,
          cpuPerSubscriberUs: s.broker.cpuPerSubscriberUs,
          cpuServiceTime: s.broker.cpu.serviceTime as DistSpec,
          ...(warm && s.broker.kind === 'redis' && s.broker.routing === 'interest' && !stateless ? { warmSubs: warmSubscriptions() } : {}),
        },
        cpu: s.broker.cpu,
      },
      'broker',
    );
  }
  add(
    {
      id: NODE.auth,
      behavior: auth,
      config: { keys: authKeys, tokenLifetimeMs: s.auth.tokenLifetimeMs, loginWindowMs: s.auth.loginWindowMs },
      cpu: s.auth.cpu,
    },
    'auth',
  );
  add(
    {
      id: NODE.chat,
      behavior: chatService,
      config: {
        ordering: s.chat.ordering,
        maxTextBytes: s.chat.maxTextBytes,
        broker: s.broker.kind,
        channels: membersOf,
        dbTimeoutMs: s.chat.dbTimeoutMs,
        idempotencyKeyTtlMs: s.chat.idempotencyKeyTtlMs,
        historyVisibility: s.chat.historyVisibility,
        presence: s.presence.enabled,
        notifications: s.notifications.enabled,
        pulledChannels,
        ...rlAt('chat'),
        personalChannelUsers: s.workload.personalChannels ? users.length : 0,
      },
      cpu: s.chat.cpu,
    },
    'chat',
  );
  if (global) add({ id: NODE.sequencer, behavior: sequencer, cpu: s.services.sequencer }, 'sequencer');
  add({ id: NODE.db, behavior: database, config: { historyPageMax: s.database.historyPageMax, memberships: channelsOf }, cpu: s.database.cpu }, 'db');
  if (rl !== undefined && rl.placement === 'service') add({ id: NODE.limiter, behavior: limiterService, config: rl, cpu: s.services.limiter }, 'limiter');
  if (stateless) add({ id: NODE.sessions, behavior: sessionStore, cpu: s.services.sessionStore }, 'session-store');
  if (mapping) add({ id: NODE.directory, behavior: directory, cpu: s.services.directory }, 'directory');
  if (s.presence.enabled) {
    const contacts: Record<string, string[]> = {};
    for (const ch of channels) for (const u of ch.members) contacts[u] = [...new Set([...(contacts[u] ?? []), ...ch.members.filter((m) => m !== u)])];
    add(
      {
        id: NODE.presence,
        behavior: presence,
        config: { strategy: s.presence.strategy, ttlMs: s.presence.ttlMs, sweepMs: s.presence.sweepMs, contacts, channels: channelMembers, notifications: s.notifications.enabled },
        cpu: s.services.presence,
      },
      'presence',
    );
  }
  if (s.notifications.enabled) {
    add({ id: NODE.notifier, behavior: notifier, config: { quotaPerMinute: s.notifications.quotaPerMinute, providerLatency: s.notifications.providerLatency as DistSpec }, cpu: s.services.notifier }, 'notifier');
  }

  /** Topic → the servers whose warm connections hold a member of it. */
  function warmSubscriptions(): Map<string, string[]> {
    const subs = new Map<string, string[]>();
    for (const [server, w] of warmByServer) {
      for (const channels of w.channels) {
        for (const ch of channels) {
          if (pulledSet.has(ch)) continue;
          const list = subs.get(ch);
          if (list === undefined) subs.set(ch, [server]);
          else if (list[list.length - 1] !== server) list.push(server);
        }
      }
    }
    return subs;
  }

  const clientNodes = new Map<string, string>();
  if (fleets) {
    for (let start = 0; start < users.length; start += s.workload.usersPerFleet) {
      const id = fleetOf(start);
      const members = users.slice(start, start + s.workload.usersPerFleet);
      for (const u of members) clientNodes.set(u, id);
      add(
        {
          id,
          behavior: clientFleet,
          config: {
            users: members,
            channels: members.map((u) => channelsOf.get(u) ?? []),
            heartbeatIntervalMs: s.client.heartbeatIntervalMs,
            sendRatePerUserPerSec: s.workload.sendRatePerUserPerSec,
            workloadEndMs: s.durationMs,
            tickMs: s.workload.fleetTickMs,
            firstChannelShare: s.workload.personalChannels ? s.workload.fleetPersonalShare : 1,
            servers: warm ? members.map((_, j) => wsIds[(start + j) % wsIds.length] as string) : null,
          },
          cpu: instant,
        },
        'client',
      );
    }
  }
  for (const user of fleets ? [] : users) {
    const id = NODE.client(user);
    clientNodes.set(user, id);
    const config: ClientConfig = {
      user,
      channels: channelsOf.get(user) ?? [],
      delivery: s.delivery,
      reorderBuffer: s.client.reorderBuffer,
      reorderMaxWaitMs: s.client.reorderMaxWaitMs,
      gapDetection: s.client.gapDetection,
      dedup: s.client.dedup,
      ackTimeoutMs: s.client.ackTimeoutMs,
      maxSendAttempts: s.client.maxSendAttempts,
      reconnect: s.client.reconnect,
      heartbeatIntervalMs: s.client.heartbeatIntervalMs,
      heartbeatTimeoutMs: s.client.heartbeatTimeoutMs,
      downlinkBytesPerMs: s.client.downlinkBytesPerMs,
      connectAtMs: s.workload.connectSpreadMs > 0 ? connectRng.intBetween(0, s.workload.connectSpreadMs) : 0,
      workloadEndMs: s.durationMs,
      sendRatePerSec: s.workload.sendRatePerUserPerSec,
      burstProbability: s.workload.burstProbability,
      burstSize: s.workload.burstSize,
      burstGapMs: s.workload.burstGapMs,
      replyProbability: s.workload.replyProbability,
      cyclesOffline: cyclers.has(user),
      meanOnlineMs: s.workload.meanOnlineMs,
      meanOfflineMs: s.workload.meanOfflineMs,
      script: s.workload.script.filter((e) => e.user === user).map((e) => ({ atMs: e.atMs, channel: e.channel, text: e.text })),
      membershipChanges: s.workload.membershipChanges.filter((e) => e.user === user).map((e) => ({ atMs: e.atMs, channel: e.channel, action: e.action })),
      historyVisibility: s.chat.historyVisibility,
      presence: s.presence.enabled ? s.presence.strategy : 'off',
      channelMembers,
      viewSwitchMeanMs: s.presence.viewSwitchMeanMs,
      typingProbability: s.presence.typingProbability,
      pulledChannels: (channelsOf.get(user) ?? []).filter((ch) => pulledSet.has(ch)),
      pollIntervalMs: lg.pollIntervalMs,
      transport: s.transport,
      ...(s.dataCalls === 'http' ? { dataCalls: 'http' as const } : {}),
      pollTimeoutMs: s.pollTimeoutMs,
      auth: { password: passwordOf(authKeys, user), refreshBeforeExpiryMs: s.auth.refreshBeforeExpiryMs },
    };
    add({ id, behavior: client, config, cpu: instant }, 'client');
  }

  // Link classes: each client's connection is one stream through the gateway; the gateway's
  // proxied connections to servers are streams too; service-to-service traffic uses the
  // internal class; with no broker, server-to-server calls are separate requests.
  const links: LinkSpec[] = [];
  if (fleets) for (const id of new Set(clientNodes.values())) links.push({ from: id, to: NODE.gateway, config: link(s.network.client) });
  else for (const user of users) links.push({ from: NODE.client(user), to: NODE.gateway, config: link(s.network.client) });
  for (const id of poolIds) links.push({ from: NODE.gateway, to: id, config: link(s.network.internal, { fifo: true }) });
  for (const a of poolIds) for (const b of poolIds) if (a < b) links.push({ from: a, to: b, config: link(s.network.serverToServer) });

  const config: SimulationConfig = {
    seed,
    nodes,
    network: { defaultLink: link(s.network.internal), links },
    faults: s.faults,
    trace: { maxEvents: s.trace.maxEvents, control: s.trace.control },
    checkInject: injectProblem,
    scaling: {
      pool: poolIds,
      spares: spareIds,
      // As an orchestrator does: the load balancer learns of a server that booted, stops routing
      // to one being removed (while the server itself gets its SIGTERM), and forgets one that stopped.
      notices: (event, server) =>
        event === 'added'
          ? [{ to: NODE.gateway, msg: { type: 'pool/serverAdded', server } satisfies WireMsg }]
          : event === 'draining'
            ? [{ to: NODE.gateway, msg: { type: 'pool/serverDraining', server } satisfies WireMsg }, { to: server, msg: { type: 'drain' } satisfies WireMsg }]
            : [{ to: NODE.gateway, msg: { type: 'pool/serverStopped', server } satisfies WireMsg }],
    },
  };
  return {
    config,
    info: {
      channels: membersOf,
      personalChannelUsers: s.workload.personalChannels ? users.length : 0,
      warmStartUsers: warm ? users.length : 0,
      clientNodes,
      nodeKinds,
      workloadEndMs: s.durationMs,
      historyVisibility: s.chat.historyVisibility,
    },
  };
}
