/**
 * What each scenario field means, in a reader's words: a sentence, the unit its number is in, and
 * the concept group the editor files it under (ADR 0030). The defaults, ranges and allowed values
 * are not here: they come from the schema itself (`fields.ts`). Fields that repeat (a CPU, a
 * network link, a delay distribution) are described once in `SHARED`, by their role.
 * `fieldDocs.test.ts` walks every leaf of the schema and fails when one has no entry.
 */

/** The concept groups of the editor, in the order it shows them (the lab's concepts). */
export const FIELD_GROUPS = [
  'run',
  'topology',
  'transport & gateway',
  'chat service & ordering',
  'delivery guarantees',
  'pub/sub broker',
  'storage',
  'presence & notifications',
  'rate limiting',
  'network & faults',
  'workload',
] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** A field's meaning, its unit and its concept group. */
export interface FieldDoc {
  readonly description: string;
  readonly unit: string;
  readonly group: FieldGroup;
}

type Entry = readonly [description: string, unit: string];

const ON = 'on/off';
const CHOICE = 'choice';

/** The group of a path: the longest matching prefix wins. */
const GROUP_BY_PREFIX: readonly (readonly [string, FieldGroup])[] = [
  ['id', 'run'],
  ['description', 'run'],
  ['durationMs', 'run'],
  ['settleMs', 'run'],
  ['trace', 'run'],
  ['topology', 'topology'],
  ['wsServer', 'topology'],
  ['services', 'topology'],
  ['mapping', 'topology'],
  ['gateway', 'transport & gateway'],
  ['transport', 'transport & gateway'],
  ['dataCalls', 'transport & gateway'],
  ['pollTimeoutMs', 'transport & gateway'],
  ['auth', 'transport & gateway'],
  ['client.reconnect', 'transport & gateway'],
  ['client.heartbeatIntervalMs', 'transport & gateway'],
  ['client.heartbeatTimeoutMs', 'transport & gateway'],
  ['chat', 'chat service & ordering'],
  ['client.reorderBuffer', 'chat service & ordering'],
  ['client.reorderMaxWaitMs', 'chat service & ordering'],
  ['client.gapDetection', 'chat service & ordering'],
  ['services.sequencer', 'chat service & ordering'],
  ['delivery', 'delivery guarantees'],
  ['client', 'delivery guarantees'],
  ['broker', 'pub/sub broker'],
  ['largeGroups', 'pub/sub broker'],
  ['serverCalls', 'pub/sub broker'],
  ['database', 'storage'],
  ['chat.dbTimeoutMs', 'storage'],
  ['services.sessionStore', 'storage'],
  ['presence', 'presence & notifications'],
  ['notifications', 'presence & notifications'],
  ['services.presence', 'presence & notifications'],
  ['services.notifier', 'presence & notifications'],
  ['rateLimit', 'rate limiting'],
  ['services.limiter', 'rate limiting'],
  ['network', 'network & faults'],
  ['client.downlinkBytesPerMs', 'network & faults'],
  ['faults', 'network & faults'],
  ['workload', 'workload'],
];

/** Fields described by their exact path (`[]` stands for any entry of a list). */
const FIELDS: Readonly<Record<string, Entry>> = {
  id: ['The scenario\'s name, as reports and the trace print it.', 'text'],
  description: ['A sentence saying what this scenario shows.', 'text'],
  durationMs: ['How long users send messages, in virtual time.', 'ms'],
  settleMs: ['Time after the sending stops for everything in flight to arrive before the run ends.', 'ms'],
  'trace.maxEvents': ['How many trace events are kept for the views; the trace hash still covers every event.', 'events'],
  'trace.control': ['Keep-alive traffic (heartbeats, health checks) recorded event by event, or only counted.', CHOICE],

  'topology.wsServers': ['WebSocket servers in service when the run starts.', 'servers'],
  'topology.maxWsServers': ['Size of the server pool: servers above wsServers are spares an operator can add mid-run (left out: no spares).', 'servers'],
  'wsServer.state': ['Where a connection\'s state lives: in the server that holds it, or in an external session store.', CHOICE],
  'wsServer.sendQueueLimitBytes': ['Bytes a server may queue for one slow client before it drops the connection.', 'bytes'],
  'wsServer.idleTimeoutMs': ['A connection with no frame at all for this long is closed by the server (0: never).', 'ms'],
  'wsServer.batchWindowMs': ['Outgoing server traffic waits up to this long to travel in batches (0: no batching).', 'ms'],
  'wsServer.batchOffsetMaxMs': ['Each server starts its batch window at a random offset up to this, so servers do not flush together.', 'ms'],
  'wsServer.blockingHandler.server': ['The server whose message handler makes a blocking call (the pitfall of synchronous work).', 'node id'],
  'wsServer.blockingHandler.everyNth': ['Every this many client messages, the handler blocks.', 'messages'],
  'wsServer.blockingHandler.durationMs': ['How long each blocking call holds the server\'s event loop.', 'ms'],
  'wsServer.workers.model': ['How a server\'s CPU serves its connections: one event loop, a process per client, workers on one queue, or queues per group of workers.', CHOICE],
  'wsServer.workers.workers': ['Worker processes (or cores) per server, for the models other than single.', 'workers'],
  'wsServer.workers.queues': ['Queues the workers are split over (queue-per-group only).', 'queues'],
  'wsServer.workers.switchUs': ['CPU a worker spends when it changes from one connection to another.', 'µs'],
  'wsServer.workers.contentionUs': ['CPU a take from a shared queue costs per other idle worker waiting on it.', 'µs'],
  'wsServer.workers.quantumUs': ['Time slice after which a process is preempted (process-per-client).', 'µs'],
  'mapping.enabled': ['Keep a user → server directory even with a broker.', ON],

  'gateway.strategy': ['How the load balancer picks a server for a new connection.', CHOICE],
  'gateway.connectionLimitPerServer': ['Connections the gateway sends to one server at most.', 'connections'],
  'gateway.healthCheckIntervalMs': ['How often the gateway checks that each server is alive.', 'ms'],
  'gateway.healthCheckTimeoutMs': ['A server silent to health checks this long is taken out of rotation.', 'ms'],
  'gateway.admissionPerSec': ['Connects the gateway admits per second during a reconnect storm (0: unlimited).', 'connects/s'],
  'gateway.admissionBurst': ['Connects admitted at once before the admission rate applies.', 'connects'],
  transport: ['How clients talk to servers: WebSocket, Server-Sent Events with POST, long polling, or JSON over raw TCP.', CHOICE],
  dataCalls: ['History and presence queries: on the client\'s stream, or each as its own HTTP request.', CHOICE],
  pollTimeoutMs: ['Long polling: how long a poll is held open before an empty answer.', 'ms'],
  'auth.tokenLifetimeMs': ['How long a login token stays valid.', 'ms'],
  'auth.refreshBeforeExpiryMs': ['Clients log in again this long before their token expires.', 'ms'],
  'auth.loginWindowMs': ['Clock skew the auth service tolerates for a login, and how long it remembers a login\'s nonce.', 'ms'],
  'client.reconnect.strategy': ['Wait between reconnect attempts: a fixed back-off, or exponential with full jitter.', CHOICE],
  'client.reconnect.baseMs': ['First reconnect back-off.', 'ms'],
  'client.reconnect.maxMs': ['Longest reconnect back-off.', 'ms'],
  'client.heartbeatIntervalMs': ['How often a client pings its server.', 'ms'],
  'client.heartbeatTimeoutMs': ['A client with no pong this long after a ping calls the connection dead and reconnects.', 'ms'],

  'chat.ordering': ['How the chat service orders messages: one global sequence, a sequence per channel, or none.', CHOICE],
  'chat.maxTextBytes': ['Longest message text the chat service accepts.', 'bytes'],
  'chat.dbTimeoutMs': ['How long the chat service waits for the database to confirm a write before giving up.', 'ms'],
  'chat.idempotencyKeyTtlMs': ['How long the chat service remembers a send\'s idempotency key (to drop a retried duplicate).', 'ms'],
  'chat.historyVisibility': ['What a member who joins mid-run may read: the whole history, or only what came after the join.', CHOICE],
  'client.reorderBuffer': ['Clients hold messages that arrive out of sequence until the gap fills.', ON],
  'client.reorderMaxWaitMs': ['Longest a message waits in the reorder buffer before the client fetches what is missing.', 'ms'],
  'client.gapDetection': ['Clients notice a missing sequence number and fetch history to fill it.', ON],

  delivery: ['What a send promises: at most once (no retries) or at least once (retried until acknowledged).', CHOICE],
  'client.dedup': ['Clients drop a message they have already shown (needed under at-least-once).', ON],
  'client.ackTimeoutMs': ['A send not acknowledged within this long is retried.', 'ms'],
  'client.maxSendAttempts': ['Attempts before a send is shown as failed.', 'attempts'],

  'broker.kind': ['The message broker between servers: Redis-like pub/sub, a Kafka-like log, or none (servers call each other).', CHOICE],
  'broker.routing': ['A publish goes only to servers with a member of the channel (interest), or to every server (broadcast).', CHOICE],
  'broker.cpuPerSubscriberUs': ['Broker CPU per subscriber or consumer a publish goes to, on top of the base service time.', 'µs'],
  'broker.outputBufferLimitBytes': ['Bytes the broker queues for one slow subscriber before it disconnects it.', 'bytes'],
  'broker.drainReportBytes': ['Subscribers report consumption every this many bytes (like TCP window updates).', 'bytes'],
  'broker.pingIntervalMs': ['How often servers ping the broker.', 'ms'],
  'broker.pingTimeoutMs': ['Servers call the broker connection lost after this long without a pong.', 'ms'],
  'broker.partitions': ['Kafka-like log: partitions a topic is split into.', 'partitions'],
  'broker.retentionMessages': ['Kafka-like log: records each partition keeps.', 'records'],
  'broker.fetchMaxRecords': ['Kafka-like log: records a consumer fetches at most at once.', 'records'],
  'largeGroups.mode': ['Large groups: push every message to members, let members poll, or push to small groups only (hybrid).', CHOICE],
  'largeGroups.thresholdMembers': ['Hybrid mode: groups above this size are pulled, not pushed.', 'members'],
  'largeGroups.pollIntervalMs': ['How often members of a pulled group poll its history.', 'ms'],
  'serverCalls.poolSize': ['No broker: HTTP calls in flight from one server at most.', 'calls'],
  'serverCalls.queueMax': ['No broker: calls waiting for a free slot at most; more are dropped.', 'calls'],
  'serverCalls.timeoutMs': ['No broker: a call unanswered this long frees its slot and closes its connection.', 'ms'],
  'serverCalls.requestCpuUs': ['No broker: sender CPU per call (serialising, headers, the write).', 'µs'],
  'serverCalls.connectCpuUs': ['No broker: extra CPU for a call on a new connection (the TLS handshake).', 'µs'],
  'serverCalls.headerBytes': ['No broker: header bytes each call carries each way.', 'bytes'],

  'database.historyPageMax': ['Messages one history page returns at most.', 'messages'],

  'presence.enabled': ['Run the presence service (who is online, typing).', ON],
  'presence.strategy': ['How presence changes spread: to everyone, to subscribers of the channel on screen, or fetched lazily.', CHOICE],
  'presence.ttlMs': ['A user whose heartbeats stop is shown offline after this long.', 'ms'],
  'presence.sweepMs': ['How often the presence service sweeps expired entries.', 'ms'],
  'presence.viewSwitchMeanMs': ['Mean time a user looks at one channel before switching (subscribers and lazy strategies).', 'ms'],
  'presence.typingProbability': ['Chance a send is preceded by a typing indicator.', 'ratio (0–1)'],
  'notifications.enabled': ['Send push notifications to offline members (needs presence).', ON],
  'notifications.quotaPerMinute': ['The push provider\'s quota.', 'pushes/min'],

  'rateLimit.enabled': ['Rate-limit users\' sends.', ON],
  'rateLimit.placement': ['Where the limiter sits: at the gateway, in each server, in the chat service, or in a dedicated service.', CHOICE],
  'rateLimit.keyBy': ['What a limit counts: each user, or each IP address.', CHOICE],
  'rateLimit.usersPerIp': ['Keyed by IP: users sharing one address (a NAT, an office).', 'users'],
  'rateLimit.limiter.algorithm': ['The rate-limiting algorithm.', 'kind'],
  'rateLimit.limiter.limit': ['Requests allowed per window.', 'requests'],
  'rateLimit.limiter.windowMs': ['The window the limit counts over.', 'ms'],
  'rateLimit.limiter.alignment': ['Fixed window: windows start at multiples of the window (epoch), or at each key\'s first request (anchored).', CHOICE],
  'rateLimit.limiter.countRejected': ['Rejected requests count against the limit too.', ON],
  'rateLimit.limiter.boundary': ['Sliding log: a request exactly one window old still counts (inclusive) or not (exclusive).', CHOICE],
  'rateLimit.limiter.comparison': ['Sliding counter: the new request is counted before comparing with the limit, or not.', CHOICE],
  'rateLimit.limiter.weighting': ['Sliding counter: the previous window weighs by its exact overlap, or rounded down.', CHOICE],
  'rateLimit.limiter.burst': ['Bucket capacity: requests allowed at once (left out: the limit).', 'requests'],
  'rateLimit.limiter.refill': ['Token bucket: tokens come back continuously, or all at once each window.', CHOICE],
  'rateLimit.limiter.queueMax': ['Leaky queue: requests that may wait (left out: the limit).', 'requests'],
  'rateLimit.maxKeys': ['Keys the limiter tracks at most.', 'keys'],
  'rateLimit.serviceTimeoutMs': ['Dedicated service: how long a server waits for a verdict.', 'ms'],
  'rateLimit.failOpen': ['Dedicated service: without a verdict, let the send through (fail open) or refuse it.', ON],

  'client.downlinkBytesPerMs': ['Each client\'s download speed, for slow-consumer effects (0: unlimited).', 'bytes/ms'],
  'faults[].at': ['When the operator action happens, in virtual time.', 'ms'],
  'faults[].op.verb': ['The operator action: partition, heal, crash, restart, slow, delay, drop, duplicate, hold, release, clog, inject, addServer, removeServer.', 'kind'],
  'faults[].op.a[]': ['Nodes on one side of the partition.', 'node id'],
  'faults[].op.b[]': ['Nodes on the other side.', 'node id'],
  'faults[].op.oneWay': ['Cut only traffic from side a to side b.', ON],
  'faults[].op.node': ['The node the action applies to.', 'node id'],
  'faults[].op.factor': ['How many times slower the node\'s CPU becomes.', 'factor'],
  'faults[].op.from': ['The sending end of the link (or the sender of an injected message).', 'node id'],
  'faults[].op.to': ['The receiving end of the link.', 'node id'],
  'faults[].op.twoWay': ['Apply to both directions of the link.', ON],
  'faults[].op.extraMs': ['Delay added to every message on the link.', 'ms'],
  'faults[].op.ratio.num': ['Share of messages affected: the numerator.', 'count'],
  'faults[].op.ratio.den': ['Share of messages affected: the denominator.', 'count'],
  'faults[].op.durationMs': ['How long the link stays clogged.', 'ms'],
  'faults[].op.msg': ['The message to inject, as the wire carries it (checked as a whole).', 'JSON'],
  'faults[].op.graceMs': ['How long a removed server drains its connections before it stops (left out: the default grace).', 'ms'],

  'workload.users': ['Users in the run (u1, u2, …).', 'users'],
  'workload.clients': ['Users played one client node each (every client behaviour), or by fleets of many users per node (scale).', CHOICE],
  'workload.usersPerFleet': ['Fleets: users one fleet node plays.', 'users'],
  'workload.fleetTickMs': ['Fleets: the fleet\'s clock tick; what falls due in one tick goes out together.', 'ms'],
  'workload.fleetPersonalShare': ['Fleets with personal channels: share of sends that are direct messages.', 'ratio (0–1)'],
  'workload.warmStart': ['Fleets: every user starts connected (a cluster in steady state).', ON],
  'workload.personalChannels': ['Give every user a personal channel p:<user> for direct delivery.', ON],
  'workload.channels[].id': ['The channel\'s id (letters, digits, ":", "_", "-").', 'channel id'],
  'workload.channels[].members[]': ['A member of the channel.', 'user id'],
  'workload.privateChats': ['Private chats generated between random pairs (when no channels are listed).', 'chats'],
  'workload.groups.count': ['Group channels generated (when no channels are listed).', 'groups'],
  'workload.groups.size.kind': ['How group sizes are drawn: one fixed size, or Zipf-distributed.', 'kind'],
  'workload.groups.size.size': ['Members of every group.', 'members'],
  'workload.groups.size.max': ['Largest group.', 'members'],
  'workload.groups.size.exponent': ['Zipf exponent: higher makes small groups more common.', 'exponent'],
  'workload.groups.membership': ['Each group draws its members at random, or every user is in exactly one group.', CHOICE],
  'workload.sendRatePerUserPerSec': ['Mean sends per user per second (a Poisson process; 0 for scripted sends only).', 'messages/s'],
  'workload.burstProbability': ['Chance a send opens a burst of quick messages.', 'ratio (0–1)'],
  'workload.burstSize': ['Messages in a burst.', 'messages'],
  'workload.burstGapMs': ['Gap between the messages of a burst.', 'ms'],
  'workload.replyProbability': ['Chance a send replies to the latest message its sender saw in that channel.', 'ratio (0–1)'],
  'workload.offlineFraction': ['Share of users who go offline and come back during the run.', 'ratio (0–1)'],
  'workload.meanOnlineMs': ['Mean time such a user stays online.', 'ms'],
  'workload.meanOfflineMs': ['Mean time such a user stays offline.', 'ms'],
  'workload.connectSpreadMs': ['Users connect over this long at the start.', 'ms'],
  'workload.script[].atMs': ['When the scripted message is sent.', 'ms'],
  'workload.script[].user': ['Who sends it.', 'user id'],
  'workload.script[].channel': ['The channel it goes to.', 'channel id'],
  'workload.script[].text': ['The message text.', 'text'],
  'workload.membershipChanges[].atMs': ['When the user asks to join or leave.', 'ms'],
  'workload.membershipChanges[].user': ['The user who joins or leaves.', 'user id'],
  'workload.membershipChanges[].channel': ['The group channel.', 'channel id'],
  'workload.membershipChanges[].action': ['Join or leave.', CHOICE],
};

/** Fields that repeat, keyed by role: `cpu.*` (every CPU), `link.*` (every network link), `dist.*` (every delay distribution). */
const SHARED: Readonly<Record<string, Entry>> = {
  'cpu.queueCapacity': ['Inputs that may wait for this component\'s CPU; more are dropped.', 'inputs'],
  'cpu.dropPolicy': ['When the queue is full: drop the newest input, or the oldest.', CHOICE],
  'link.latencyMs': ['One-way base latency of the link.', 'ms'],
  'link.lossRatio': ['Share of messages the link loses.', 'ratio (0–1)'],
  'link.duplicateRatio': ['Share of messages the link delivers twice.', 'ratio (0–1)'],
  'link.fifo': ['Messages on the link arrive in the order sent (one TCP stream), or may overtake.', ON],
  'link.bandwidthBytesPerMs': ['The link\'s bandwidth (0: unlimited).', 'bytes/ms'],
  'dist.kind': ['The distribution\'s shape: constant, uniform, exponential or normal.', 'kind'],
  'dist.valueMs': ['The constant value.', 'ms'],
  'dist.minMs': ['Smallest value of the uniform range.', 'ms'],
  'dist.maxMs': ['Largest value of the uniform range.', 'ms'],
  'dist.meanMs': ['The mean.', 'ms'],
  'dist.stdDevMs': ['The standard deviation.', 'ms'],
};

/** Descriptions of the sections and lists (not leaves), for the form's headings. */
const SECTIONS: Readonly<Record<string, string>> = {
  topology: 'How many servers and spares.',
  gateway: 'The load balancer in front of the servers.',
  wsServer: 'The servers clients connect to.',
  'wsServer.workers': 'How each server\'s CPU is organised.',
  'wsServer.blockingHandler': 'A blocking call in a message handler (a pitfall to show).',
  broker: 'The pub/sub layer between servers.',
  chat: 'The chat service: validation, ordering, persistence.',
  database: 'The message store.',
  presence: 'Who is online and typing.',
  notifications: 'Push notifications to offline users.',
  largeGroups: 'Fan-out for large groups.',
  rateLimit: 'Limits on how fast users may send.',
  'rateLimit.limiter': 'The limiter algorithm and its conventions.',
  services: 'The helper services\' CPUs (each exists only when the design uses it).',
  auth: 'Logins and signed tokens.',
  serverCalls: 'Server-to-server HTTP calls when there is no broker.',
  client: 'What each client app does.',
  network: 'The network links between parts of the cluster.',
  workload: 'Who sends what, and when.',
  'workload.channels': 'Explicit channels and their members (absent: generated from private chats and groups).',
  'workload.script': 'Messages sent at fixed times.',
  'workload.membershipChanges': 'Joins and leaves during the run.',
  faults: 'The fault script: operator actions at fixed times.',
  trace: 'What the trace keeps.',
};

/** The role key of a repeated field, or null. */
function sharedKey(path: string): string | null {
  const dist = /\.(serviceTime|jitter|providerLatency)\.(\w+)$/.exec(path);
  if (dist !== null) return `dist.${dist[2] as string}`;
  const cpu = /(?:\.cpu|^services\.\w+)\.(\w+)$/.exec(path);
  if (cpu !== null) return `cpu.${cpu[1] as string}`;
  const link = /^network\.\w+\.(\w+)$/.exec(path);
  if (link !== null) return `link.${link[1] as string}`;
  return null;
}

/** The concept group of a path. */
export function groupOf(path: string): FieldGroup {
  let best: readonly [string, FieldGroup] | null = null;
  for (const entry of GROUP_BY_PREFIX) {
    const [prefix] = entry;
    const matches = path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
    if (matches && (best === null || prefix.length > best[0].length)) best = entry;
  }
  return best === null ? 'run' : best[1];
}

/**
 * A field's doc, by its path (`[]` for a list's entries); an unknown path gets an empty
 * description and unit (the test that walks the schema fails on it).
 *
 * @example
 * docOf('topology.wsServers'); // { description: 'WebSocket servers in service…', unit: 'servers', group: 'topology' }
 */
export function docOf(path: string): FieldDoc {
  const own = FIELDS[path];
  const shared = own === undefined ? sharedKey(path) : null;
  const entry = own ?? (shared === null ? undefined : SHARED[shared]);
  const section = SECTIONS[path];
  return { description: entry?.[0] ?? section ?? '', unit: entry?.[1] ?? '', group: groupOf(path) };
}
