/**
 * The shape of a run's report: what `npm run sim -- run --json` prints, what tests assert on, and
 * what the app's trade-off tables are filled from. Computed from the trace (plus the simulator's
 * per-node CPU statistics), never from node internals.
 */

/**
 * What a finding is about, as data, so that a reader (the workbench, a lab goal, a test) can find
 * the message, user or channel without parsing the sentence. Every field is optional: a checker
 * fills in what its rule is about.
 */
export interface ViolationSubject {
  /** The server-assigned id of the message (`m12`). */
  readonly messageId?: string;
  /** The sender's idempotency key of the message (`u1-5`). */
  readonly clientMsgId?: string;
  /** The user who saw (or should have seen) it. */
  readonly user?: string;
  /** The channel it happened in. */
  readonly channel?: string;
  /** A rate-limit key (`user:u3`). */
  readonly key?: string;
  /** A node (`ws-2`). */
  readonly node?: string;
}

/** One broken rule, pinned to the event that broke it. */
export interface Violation {
  /** The checker's name (`ordering`, `net/causality`). */
  readonly checker: string;
  /** The seq of the event where the rule broke. */
  readonly seq: number;
  /** Virtual time of that event. */
  readonly at: number;
  /** What went wrong, as a sentence a student can read. */
  readonly message: string;
  /** What it is about, as data. */
  readonly subject: ViolationSubject;
}

/** Counts over the whole run. */
export interface RunCounts {
  /** Messages users sent (first attempts: `client/messageSent`). */
  sent: number;
  /** Messages the database confirmed (`chat/messagePersisted`). */
  persisted: number;
  /** Messages shown to users (`client/messageShown`, every recipient counts). */
  delivered: number;
  /** Times a user was shown a message they already saw. */
  duplicatesShown: number;
  /**
   * Times a message was shown after one that was persisted later in the same channel: the
   * channel's agreed (stored) order broken (the `ordering` checker).
   */
  outOfOrderShown: number;
  /**
   * Times a user was shown a sender's message after a later message of the same sender in the
   * same channel: the sender's own order broken (the `sender-order` checker).
   */
  senderOrderBroken: number;
  /**
   * Times a user was shown a reply before the message it answers: causal order broken (the
   * `causal` checker).
   */
  causalBroken: number;
  /** (message, online member) pairs never shown by the end of the settle period. */
  lost: number;
  /**
   * The user-visible outcome of every send (ADR 0011); `acked + failedShown + pending + lostSends`
   * is `sent`. Sends the server acknowledged to their sender.
   */
  acked: number;
  /** Sends that failed with an error shown to their sender (rate limited and forbidden among them). */
  failedShown: number;
  /** Sends with neither an ack nor an error yet (the sender still sees them pending) that someone was shown. */
  pending: number;
  /** Sends that silently vanished: no ack, no error shown, nobody shown them (the `lost-sends` checker). */
  lostSends: number;
  /** Sends refused with RATE_LIMITED. */
  rateLimited: number;
  /** Sends refused with FORBIDDEN. */
  forbidden: number;
}

/** Send → shown latency percentiles in ms over every (message, recipient) pair shown. */
export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Per-node figures. */
export interface NodeFigures {
  kind: string;
  processed: number;
  queueWaitMsMean: number;
  sojournMsMean: number;
  utilization: number;
  queueDepthMax: number;
  /** A server with worker queues (`wsServer.workers`, ADR 0016): what its model cost. Absent for one event loop. */
  workers?: WorkerFigures;
}

/** What a CPU with several workers cost (ADR 0016); times in ms. */
export interface WorkerFigures {
  model: 'single' | 'process-per-client' | 'shared-queue' | 'queue-per-group';
  workers: number;
  /** Time workers spent switching to another client's process or context. */
  switchMs: number;
  switches: number;
  /** Time workers spent contending for a shared queue of clients. */
  contentionMs: number;
  /** Time slices that ended with their input unfinished (`process-per-client`). */
  preemptions: number;
  /**
   * 99th percentile of a ready client's wait for a worker (from when it had work and no worker to
   * when one took it; its wait behind its own earlier inputs left out), the upper edge of its
   * histogram bucket (at most 1/8 above), at most the max.
   */
  workerWaitMsP99: number;
  /** The longest a ready client waited for a worker: a starved client's wait. */
  workerWaitMsMax: number;
}

/** Network messages and bytes of one kind of traffic. */
export interface TrafficFigures {
  /** Messages sent over any link (each hop counts once). */
  networkMessages: number;
  /** Their bytes, client ↔ gateway and back end together. */
  bytes: number;
}

/**
 * What the run's transport and back end cost (docs/CALIBRATION.md, "Transport costs"). Traffic
 * is split into keep-alive (pings and pongs, health checks, broker pings, presence heartbeats,
 * long polls answered empty and the polls they answer) and chat traffic (everything else), so the
 * per-message figures, taken from chat traffic only, do not grow with the run's length. Counted
 * keep-alives (`trace.control: 'counted'`, ADR 0007) are included.
 */
export interface TransportCosts {
  /** Bytes on the client ↔ gateway links, both directions (the last mile). */
  lastMileBytes: number;
  /** Bytes between back-end nodes (gateway, servers, broker, chat, database, …), both directions. */
  backEndBytes: number;
  /** HTTP requests a client made besides its handshakes and data calls: POSTs (SSE and long polling send every frame as one). */
  httpPostRequests: number;
  /** Long polling: polls (HTTP GETs the server holds). */
  httpPollRequests: number;
  /**
   * Data calls (history fetches, lazy presence queries) sent as their own HTTP/1.1 requests
   * (`dataCalls: 'http'`, ADR 0017); 0 when they travel on the stream.
   */
  httpDataRequests: number;
  /**
   * Kept-alive HTTP/1.1 connections opened for data calls: one per stream session that made any
   * (its TCP/TLS setup, ADR 0017); 0 when data calls travel on the stream.
   */
  httpDataConnections: number;
  /** Connect handshakes sent (the WebSocket upgrade, the first GET, or a raw TCP stream's connect frame), attempts included. */
  connectHandshakes: number;
  /** Their bytes on the last mile: the connect frame plus what the transport adds to open the stream. */
  connectHandshakeBytes: number;
  /** Logins sent to the auth service (an HTTPS request each, whatever the transport). */
  loginHandshakes: number;
  /** Client connections open now (the end of the run). */
  connectionsHeldAtEnd: number;
  /** The most client connections open at once. */
  connectionsHeldPeak: number;
  /** Keep-alive traffic: grows with time and connections, not with messages. */
  keepAlive: TrafficFigures;
  /** Chat traffic: every other message (sends, fan-out, acks, history, handshakes, sessions). */
  chat: TrafficFigures;
  /** Chat traffic bytes per persisted message (0 when nothing was persisted). */
  chatBytesPerStoredMessage: number;
  /** Chat traffic network messages per persisted message (0 when nothing was persisted). */
  chatNetworkMessagesPerStoredMessage: number;
  /** Client HTTP requests of chat traffic (POSTs, polls answered with something, data calls over HTTP) per message sent. */
  chatHttpRequestsPerSentMessage: number;
}

/** The full report of one run. */
export interface RunReport {
  seed: number;
  scenario: string;
  simTimeMs: number;
  events: number;
  traceHash: string;
  truncated: boolean;
  counts: RunCounts;
  /** Null when no shown message could be linked to its send (a run with no sends has no latency). */
  latencyMs: LatencyPercentiles | null;
  nodes: Record<string, NodeFigures>;
  /**
   * Network messages sent by each component kind, and in total per persisted chat message (the
   * write amplification of the design).
   */
  messagesPerComponent: Record<string, number>;
  messagesPerPersisted: number;
  /** Kafka-like broker: the largest and the final consumer lag seen (0 for other brokers). */
  brokerLag: { max: number; final: number };
  /** Bytes, requests, handshakes and held connections, keep-alive traffic apart from chat traffic. */
  transport: TransportCosts;
  violations: Violation[];
  /** Wall-clock time of the run in ms (the only field that is not deterministic). */
  wallMs: number;
}
