/**
 * An incremental index of a trace, so that a diagram costs what it draws, not the length of the
 * run. Events are fed in trace order ({@link TraceIndex.observe}), each once; every structure
 * here is updated in constant time per event (amortized), and every question reads only what it
 * answers: one message's sends and node events, one send's deliveries, the operator's verbs, the
 * presence events of a time span, the connect handshake of a client.
 *
 * How a message's path is known as the trace grows: every `net/messageSent` whose payload names
 * chat messages (their server ids `m12` or idempotency keys `u1-5`, read by the contract's
 * `messageRefs`) carries those names as its *tokens*; a send that names nothing (a sequencer
 * request, a database reply) inherits the tokens of the nearest send it descends from through
 * `causeSeq` links, keep-alives excepted; node events do the same with the names in their own
 * data. A message's path is then the union of the sends and events filed under its id and its
 * key. Tokens rather than messages, because a payload may name a server id before the trace has
 * said which key it belongs to.
 */
import { eventMessageRefs, messageRefs, namesAMessage, readWire, type EventOf, type MessageRefs, type OpEventType, type TraceEvent } from '../sim/index.ts';
import { MessageCatalog } from './catalog.ts';
import { brokerFlavorShownBy, roleOf, type BrokerFlavor } from './roles.ts';
import { BOOKKEEPING_TYPES, innerFrame, innerWireType, isHistoryRequest, wireType } from './wire.ts';

/** True for the kernel's send event. */
export const SENT = 'net/messageSent';

/** A send event. */
export type SentEvent = EventOf<'net/messageSent'>;

/** An operator's verb. */
export type OpEvent = EventOf<OpEventType>;

/** The highest-ordered message of a channel seen so far at a client, when a message came after it. */
export interface OrderMark {
  /** Its sequence number, or its stored position when the channel has no sequence numbers. */
  readonly order: number;
  readonly id: string;
  /** What `order` is: `seq` or `stored order`. */
  readonly unit: 'seq' | 'stored order';
}

/** The sends and node events filed under a token (a message id or key), in trace order. */
interface Filed {
  readonly sends: number[];
  readonly events: number[];
}

/** Node events never filed: an arrow or another note already says what they say. */
const UNFILED_TYPES: ReadonlySet<string> = new Set([
  'client/messageSent',
  'chat/messagePersisted',
  'chat/messagePublished',
  'cpu/inputDropped',
  'node/timerFired',
  'node/started',
]);

const NO_TOKENS: readonly string[] = [];

/** The token of a server id and of an idempotency key (they could collide as plain strings). */
export const idToken = (id: string): string => `i:${id}`;
export const keyToken = (clientMsgId: string): string => `k:${clientMsgId}`;

/**
 * The incremental index. Feed it every event in order; ask it anything at any time.
 *
 * @example
 * const index = new TraceIndex();
 * sim.trace.subscribe((e) => index.observe(e));
 * sim.runUntil(10_000);
 * index.deliveries(372)[0]?.at; // 7026
 */
export class TraceIndex {
  private readonly list: TraceEvent[] = [];
  private firstSeq = -1;
  /** By position in `list`: the seq of the nearest send at or above the event, or -1. */
  private readonly sentOfAt: number[] = [];
  private readonly deliveriesBySent = new Map<number, TraceEvent[]>();
  private readonly dropBySent = new Map<number, EventOf<'net/messageDropped'>>();
  private readonly heldSends = new Set<number>();
  private readonly cpuDropByDelivery = new Map<number, EventOf<'cpu/inputDropped'>>();
  private readonly kindsById = new Map<string, string>();
  private flavor: BrokerFlavor | null = null;
  /** Send seq → its tokens (shared arrays: an inheriting send points at its parent's). */
  private readonly tokensOfSend = new Map<number, readonly string[]>();
  private readonly filed = new Map<string, Filed>();
  /** Client → seqs of its `connect` sends, and every send or event seq → the connect it belongs to. */
  private readonly connectsOf = new Map<string, number[]>();
  private readonly connectRootOf = new Map<number, number>();
  private readonly connectFamilies = new Map<number, Filed>();
  private readonly ops: OpEvent[] = [];
  private readonly presenceEvents: TraceEvent[] = [];
  /** User → the ids of messages that reached them (received or shown). */
  private readonly reachedUser = new Map<string, Set<string>>();
  /** (user, channel) → the highest-ordered message that reached the client / was shown so far. */
  private readonly arrivedHigh = new Map<string, OrderMark>();
  private readonly shownHigh = new Map<string, OrderMark>();
  /** Deliveries to a client that came after a later message of the channel had come. */
  private readonly arrivedLate = new Map<number, OrderMark>();
  /** (user, id) of shows that came after a later message of the channel was shown. */
  private readonly shownLate = new Map<string, OrderMark>();
  /** (user, id) → the seq of the show. */
  private readonly shownSeq = new Map<string, number>();
  /** The chat messages sent so far, with ids, sequence numbers and stored order once known. */
  readonly catalog = new MessageCatalog();

  /** Takes the next event of the trace. */
  observe(e: TraceEvent): void {
    if (this.firstSeq < 0) this.firstSeq = e.seq;
    this.flavor ??= brokerFlavorShownBy(e);
    this.list.push(e);
    this.catalog.observe(e);
    const parent = e.causeSeq === null ? -1 : this.sentOfSeq(e.causeSeq);
    this.sentOfAt.push(e.type === SENT ? e.seq : parent);
    switch (e.type) {
      case 'net/messageSent':
        this.observeSend(e, parent);
        return;
      case 'net/messageDelivered':
        if (e.causeSeq !== null) {
          push(this.deliveriesBySent, e.causeSeq, e);
          this.observeArrival(e);
        }
        return;
      case 'net/messageDropped':
        if (e.causeSeq !== null) this.dropBySent.set(e.causeSeq, e);
        return;
      case 'net/messageHeld':
        if (e.causeSeq !== null) this.heldSends.add(e.causeSeq);
        return;
      case 'net/messageDuplicated':
        return;
      case 'cpu/inputDropped':
        if (e.causeSeq !== null) this.cpuDropByDelivery.set(e.causeSeq, e);
        return;
      case 'node/started':
        if (!this.kindsById.has(e.node)) this.kindsById.set(e.node, e.data.kind);
        return;
      case 'node/timerFired':
        return;
      case 'client/messageReceived':
        addTo(this.reachedUser, e.data.user, e.data.id);
        break;
      case 'client/messageShown':
        addTo(this.reachedUser, e.data.user, e.data.id);
        this.observeShow(e);
        break;
    }
    if (e.type.startsWith('op/')) {
      this.ops.push(e as OpEvent);
      return;
    }
    if (e.type.startsWith('presence/')) this.presenceEvents.push(e);
    if (UNFILED_TYPES.has(e.type)) return;
    const refs = eventMessageRefs(e);
    if (namesAMessage(refs)) {
      for (const t of refTokens(refs)) this.file(t).events.push(e.seq);
    } else if (parent >= 0) {
      for (const t of this.tokensOfSend.get(parent) ?? NO_TOKENS) this.file(t).events.push(e.seq);
    }
    const root = parent >= 0 ? this.connectRootOf.get(parent) : undefined;
    if (root !== undefined) {
      this.connectRootOf.set(e.seq, root);
      this.connectFamilies.get(root)?.events.push(e.seq);
    }
  }

  private observeSend(e: SentEvent, parent: number): void {
    const wire = readWire(e.data.msg);
    const refs = wire === null ? null : messageRefs(wire);
    const names = refs !== null && namesAMessage(refs);
    if (refs !== null) for (const m of refs.messages) this.catalog.learnCarried(m);
    const bookkeeping = BOOKKEEPING_TYPES.has(innerWireType(e.data.msg));
    let tokens: readonly string[] = NO_TOKENS;
    if (names) tokens = refTokens(refs);
    else if (!bookkeeping && parent >= 0) tokens = this.tokensOfSend.get(parent) ?? NO_TOKENS;
    if (tokens.length > 0) {
      this.tokensOfSend.set(e.seq, tokens);
      for (const t of tokens) this.file(t).sends.push(e.seq);
    }
    // A history page that carries a message was asked for: file the request hops that led to it.
    const inner = innerWireType(e.data.msg);
    if (names && (inner === 'historyPage' || inner === 'db/historyResult')) this.fileHistoryRequests(e, tokens);
    // Connect handshakes: the `connect` frame and every send it caused that names no message. A
    // login starts a family too, which becomes the client's handshake when the connect it leads
    // to joins it (login → auth → token → connect); a refresh login never leads to a connect.
    const outer = wireType(e.data.msg);
    const loginRoot = outer === 'connect' && parent >= 0 ? this.connectRootOf.get(parent) : undefined;
    if (outer === 'connect' && loginRoot !== undefined && wireType((this.event(loginRoot) as SentEvent | undefined)?.data.msg) === 'login') {
      push(this.connectsOf, e.data.from, loginRoot);
      this.connectRootOf.set(e.seq, loginRoot);
      this.connectFamilies.get(loginRoot)?.sends.push(e.seq);
    } else if (outer === 'connect' || outer === 'login') {
      if (outer === 'connect') push(this.connectsOf, e.data.from, e.seq);
      this.connectRootOf.set(e.seq, e.seq);
      this.connectFamilies.set(e.seq, { sends: [e.seq], events: [] });
    } else if (!names && !bookkeeping && parent >= 0) {
      const root = this.connectRootOf.get(parent);
      if (root !== undefined) {
        this.connectRootOf.set(e.seq, root);
        this.connectFamilies.get(root)?.sends.push(e.seq);
      }
    }
  }

  /** The place of a message in its channel's order: its sequence number, else its stored position. */
  private orderOf(id: string): number | undefined {
    const m = this.catalog.byId(id);
    return m === undefined ? undefined : (m.seq ?? m.order ?? undefined);
  }

  /** A chat message delivered to a client: did a later message of its channel get there first? */
  private observeArrival(e: EventOf<'net/messageDelivered'>): void {
    const sent = this.event(e.causeSeq ?? -1);
    if (sent?.type !== SENT) return;
    const wire = readWire(sent.data.msg);
    if (wire === null) return;
    const frame = innerFrame(wire);
    if (frame.type !== 'deliver') return;
    const role = roleOf(e.node, this.kindsById);
    if (role !== 'client' && role !== 'fleet') return;
    const user = wire.type === 'toUser' ? wire.user : e.node.startsWith('c-') ? e.node.slice(2) : e.node;
    const order = this.orderOf(frame.message.id);
    if (order === undefined) return;
    const lane = user + '\u0000' + frame.message.channel;
    const high = this.arrivedHigh.get(lane);
    if (high !== undefined && order < high.order) this.arrivedLate.set(e.seq, high);
    else this.arrivedHigh.set(lane, { order, id: frame.message.id, unit: frame.message.seq === null ? 'stored order' : 'seq' });
  }

  /** A message shown: was a later message of its channel shown to this user before it? */
  private observeShow(e: EventOf<'client/messageShown'>): void {
    const { user, channel, id } = e.data;
    const shown = user + '\u0000' + id;
    this.shownSeq.set(shown, e.seq);
    const order = this.orderOf(id);
    if (order === undefined) return;
    const lane = user + '\u0000' + channel;
    const high = this.shownHigh.get(lane);
    if (high !== undefined && order < high.order) this.shownLate.set(shown, high);
    else this.shownHigh.set(lane, { order, id, unit: e.data.seq === null ? 'stored order' : 'seq' });
  }

  /** Walks up from a history page through the history requests that caused it, filing each. */
  private fileHistoryRequests(page: SentEvent, tokens: readonly string[]): void {
    let p = this.parentSendOf(page);
    // A request chain is a handful of hops (client, gateway, server, chat, database).
    for (let hops = 0; p !== null && hops < 16; hops++) {
      const up = this.event(p);
      if (up === undefined || up.type !== SENT || !isHistoryRequest(up.data.msg)) return;
      const own = this.tokensOfSend.get(p);
      const merged = own === undefined ? tokens : [...own, ...tokens.filter((t) => !own.includes(t))];
      if (merged !== own) {
        this.tokensOfSend.set(p, merged);
        for (const t of tokens) if (own === undefined || !own.includes(t)) insertSorted(this.file(t).sends, p);
      }
      p = this.parentSendOf(up);
    }
  }

  private file(token: string): Filed {
    let f = this.filed.get(token);
    if (f === undefined) {
      f = { sends: [], events: [] };
      this.filed.set(token, f);
    }
    return f;
  }

  private sentOfSeq(seq: number): number {
    const i = seq - this.firstSeq;
    return i >= 0 && i < this.sentOfAt.length ? (this.sentOfAt[i] as number) : -1;
  }

  // ---- questions ---------------------------------------------------------------------------------

  /** Events indexed. */
  get size(): number {
    return this.list.length;
  }

  /** Every event indexed, in trace order (read-only). */
  get events(): readonly TraceEvent[] {
    return this.list;
  }

  /** The seq of the first event indexed (0 for a whole run), or -1 when empty. */
  get startSeq(): number {
    return this.firstSeq;
  }

  /** Time of the last event indexed, or 0. */
  get lastAt(): number {
    return this.list.length === 0 ? 0 : (this.list[this.list.length - 1] as TraceEvent).at;
  }

  /** The event with this seq, if indexed. */
  event(seq: number): TraceEvent | undefined {
    return this.list[seq - this.firstSeq];
  }

  /** The seq of the nearest send at or above an event (itself for a send), or null. */
  sentOf(seq: number): number | null {
    const s = this.sentOfSeq(seq);
    return s < 0 ? null : s;
  }

  /** The nearest send an event descends from (not itself), or null. */
  parentSendOf(e: TraceEvent): number | null {
    return e.causeSeq === null ? null : this.sentOf(e.causeSeq);
  }

  /** A send's deliveries (two when the network duplicated it). */
  deliveries(sentSeq: number): readonly TraceEvent[] {
    return this.deliveriesBySent.get(sentSeq) ?? [];
  }

  /** The network's drop of a send. */
  drop(sentSeq: number): EventOf<'net/messageDropped'> | undefined {
    return this.dropBySent.get(sentSeq);
  }

  /** Whether the network is holding a send. */
  isHeld(sentSeq: number): boolean {
    return this.heldSends.has(sentSeq);
  }

  /** The CPU drop of a delivered input (its queue was full). */
  cpuDrop(deliveredSeq: number): EventOf<'cpu/inputDropped'> | undefined {
    return this.cpuDropByDelivery.get(deliveredSeq);
  }

  /** Node id → kind, from `node/started`. */
  get kinds(): ReadonlyMap<string, string> {
    return this.kindsById;
  }

  /** The broker the trace shows: Kafka-like logs append and serve records; Redis-like brokers push. */
  get brokerFlavor(): BrokerFlavor {
    return this.flavor ?? 'redis';
  }

  /** The tokens a send is filed under (empty for sends that are no message's). */
  tokensOf(sentSeq: number): readonly string[] {
    return this.tokensOfSend.get(sentSeq) ?? NO_TOKENS;
  }

  /** The sends and node events filed under a token, in trace order. */
  filedUnder(token: string): { readonly sends: readonly number[]; readonly events: readonly number[] } {
    return this.filed.get(token) ?? { sends: [], events: [] };
  }

  /** The seqs of a client's `connect` sends, oldest first. */
  connectsFrom(client: string): readonly number[] {
    return this.connectsOf.get(client) ?? [];
  }

  /** The sends and node events of a connect handshake, by its `connect` send. */
  connectFamily(rootSeq: number): { readonly sends: readonly number[]; readonly events: readonly number[] } {
    return this.connectFamilies.get(rootSeq) ?? { sends: [], events: [] };
  }

  /** Every operator verb so far, in order. */
  get opEvents(): readonly OpEvent[] {
    return this.ops;
  }

  /** The `presence/*` events with `fromMs ≤ at ≤ toMs`. */
  presenceBetween(fromMs: number, toMs: number): readonly TraceEvent[] {
    return sliceByTime(this.presenceEvents, fromMs, toMs);
  }

  /** The events with `fromMs ≤ at < toMs`, in order (binary search: costs what it returns). */
  eventsBetween(fromMs: number, toMs: number): readonly TraceEvent[] {
    return sliceByTime(this.list, fromMs, toMs - 1);
  }

  /**
   * For a delivery of a chat message to a client: the later message of the same channel that had
   * already reached that client, when there was one (the message arrived out of order).
   */
  arrivedAfter(deliverySeq: number): OrderMark | undefined {
    return this.arrivedLate.get(deliverySeq);
  }

  /**
   * Whether and how a user was shown a message: not at all, in order, or after a later message of
   * the channel (out of order).
   */
  showOf(user: string, id: string): { readonly seq: number; readonly after: OrderMark | null } | null {
    const key = user + '\u0000' + id;
    const seq = this.shownSeq.get(key);
    return seq === undefined ? null : { seq, after: this.shownLate.get(key) ?? null };
  }

  /** Whether a message (by server id) reached a user (received or shown). */
  reached(user: string, id: string): boolean {
    return this.reachedUser.get(user)?.has(id) === true;
  }
}

/** The tokens of the messages a payload or an event names: ids first, as a message's owner is picked by id first. */
export function refTokens(refs: MessageRefs): string[] {
  const out: string[] = [];
  for (const id of refs.ids) {
    const t = idToken(id);
    if (!out.includes(t)) out.push(t);
  }
  for (const k of refs.clientMsgIds) {
    const t = keyToken(k);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

/** Inserts a seq into an ascending list (usually at the end; a history request goes back a few). */
function insertSorted(list: number[], seq: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > seq) i--;
  if (list[i - 1] !== seq) list.splice(i, 0, seq);
}

/** The first index of an event with `at ≥ ms` in a time-ordered list. */
export function lowerBoundByTime(list: readonly { readonly at: number }[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as { at: number }).at < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The items with `fromMs ≤ at ≤ toMs` of a time-ordered list. */
function sliceByTime<T extends { readonly at: number }>(list: readonly T[], fromMs: number, toMs: number): readonly T[] {
  if (toMs < fromMs) return [];
  return list.slice(lowerBoundByTime(list, fromMs), lowerBoundByTime(list, toMs + 1));
}

/**
 * Indexes the events at or before `atMs` (all of them by default). Events must be in trace
 * order, as a trace log stores them; a slice of a trace works too (causes outside the slice
 * simply end the walk).
 *
 * @example
 * const index = indexTrace(events, 7_100);
 * index.deliveries(372)[0]?.at; // 7026
 */
export function indexTrace(events: readonly TraceEvent[], atMs = Number.POSITIVE_INFINITY): TraceIndex {
  const index = new TraceIndex();
  for (const e of events) {
    if (e.at > atMs) break;
    index.observe(e);
  }
  return index;
}
