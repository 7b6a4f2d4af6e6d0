/**
 * The chat cluster's rules, judged from the trace alone: users see each channel in the order the
 * database stored it (agreed order), each sender's messages in the order they were sent (sender
 * FIFO) and every reply after what it answers (causal order), never see a send twice, eventually
 * see every message of their channels while online, never see a channel they are not in, and no
 * send vanishes without its sender being told. Each checker reads only the event types of the
 * contract in `../contract/events.ts`, so any cluster design can be judged by the same rules.
 *
 * What a user saw is judged by the sender's own identity of a send (author and client message
 * id, ADR 0011), never by the id the server assigned: a send stored twice under two ids and shown
 * twice is a duplicate, whatever the ids say.
 */
import { channelMembers, type ClusterInfo, type EventOf, type ReplyRef, type TraceEvent } from '../contract/index.ts';
import { MembershipTimeline } from './membership.ts';
import { BaseChecker, EndFindings, type Checker, type EndJudgement } from './checker.ts';
import { FrameChecker } from './frames.ts';

/** Joins id parts into one map key; NUL cannot occur in ids, so distinct parts never collide. */
/** A map key of two or three parts (concatenation, not an array join: this runs for every show). */
function key(a: string, b: string, c?: string): string {
  return c === undefined ? a + '\u0000' + b : a + '\u0000' + b + '\u0000' + c;
}

/**
 * The sender's identity of a send as one string: its client message id alone when that already
 * begins with `<author>-` (every client of the model names its sends so, and user ids contain no
 * `-`), else author and id joined. A million-user run keeps one per show, so it is kept short.
 */
export function sendId(author: string, clientMsgId: string): string {
  return clientMsgId.length > author.length && clientMsgId.charCodeAt(author.length) === 45 /* - */ && clientMsgId.startsWith(author) ? clientMsgId : key(author, clientMsgId);
}

/** What one user has been shown of one channel, as far as ordering is concerned. */
interface Stream {
  /** The largest persisted order shown so far (-Infinity before the first show). */
  maxOrder: number;
  /** The message that had `maxOrder`. */
  maxId: string;
  /**
   * Every id shown, so that repeated shows are left to the duplicates checker: the only one in
   * `one` while there is one (most streams of a big run never see a second message), then a set.
   * The agreed order is an order of stored rows, so this one checker keys a show by its row's id
   * (the id string the show already holds, so a million-user run keeps no new string per show);
   * a second row of one send is a duplicate, and an ordering finding too if it is out of place.
   */
  one: string | null;
  shown: Set<string> | null;
  /**
   * Shows not judged yet because the oldest one's message has not been persisted yet. They wait
   * in show order, since each must be compared with everything shown before it (null: none).
   */
  waiting: EventOf<'client/messageShown'>[] | null;
}

function hasShown(s: Stream, id: string): boolean {
  return s.one === id || (s.shown !== null && s.shown.has(id));
}

function addShown(s: Stream, id: string): void {
  if (s.one === null && s.shown === null) {
    s.one = id;
    return;
  }
  s.shown ??= new Set(s.one === null ? [] : [s.one]);
  s.one = null;
  s.shown.add(id);
}

/**
 * Agreed order: users see a channel in its stored order: for each (user, channel), every message
 * shown must come later in the channel's persisted history than every message already shown
 * there, so every member sees the channel in the same order.
 *
 * A show whose message is not persisted yet cannot be judged; it and every later show of the same
 * stream wait until the persisted event arrives (or until `finish`, where a message that was
 * never persisted is skipped, because it has no place in the history to compare).
 */
export class OrderingChecker extends BaseChecker {
  readonly name = 'ordering';
  /** Persisted order by (channel, id). */
  private readonly orders = new Map<string, number>();
  /**
   * Streams by (user, channel). A stream whose one show so far was judged at once is kept as that
   * show's id alone (most streams of a million-user run never see a second message, and a
   * million stream objects are memory every collection walks): its largest order is the id's
   * persisted order, which `orders` keeps for good. A second show turns it into a {@link Stream}.
   */
  private readonly streams = new Map<string, Stream | string>();
  /** Streams whose oldest waiting show is of the (channel, id) key, not persisted yet. */
  private readonly blocked = new Map<string, Stream[]>();

  observe(e: TraceEvent): void {
    if (e.type === 'chat/messagePersisted') {
      const d = e.data;
      const k = key(d.channel, d.id);
      if (!this.orders.has(k)) this.orders.set(k, d.order);
      const waiting = this.blocked.get(k);
      if (waiting === undefined) return;
      this.blocked.delete(k);
      for (const s of waiting) this.drain(s);
    } else if (e.type === 'client/messageShown') {
      const d = e.data;
      const sk = key(d.user, d.channel);
      const known = this.streams.get(sk);
      let s: Stream;
      if (known === undefined) {
        // The stream's first show: nothing was shown before it, so once its message is persisted
        // it is in order, and the stream is just this id (see `streams`).
        if (this.orders.has(key(d.channel, d.id))) {
          this.streams.set(sk, d.id);
          return;
        }
        s = { maxOrder: -Infinity, maxId: '', one: null, shown: null, waiting: null };
        this.streams.set(sk, s);
      } else if (typeof known === 'string') {
        s = { maxOrder: this.orders.get(key(d.channel, known)) as number, maxId: known, one: known, shown: null, waiting: null };
        this.streams.set(sk, s);
      } else s = known;
      if (hasShown(s, d.id)) return;
      addShown(s, d.id);
      (s.waiting ??= []).push(e);
      // A non-empty queue is blocked on an earlier show; this one must wait behind it.
      if (s.waiting.length === 1) this.drain(s);
    }
  }

  /**
   * The shows still waiting for a persisted event, judged as if the run ended now: a message that
   * was never persisted is skipped (it has no place in the history), the rest compared in order.
   * Reads the streams without changing them, so observing can go on.
   */
  judgeEnd(): EndJudgement {
    const end = new EndFindings(this.name, this.maxViolations);
    for (const s of this.streams.values()) {
      if (typeof s === 'string' || s.waiting === null) continue;
      let maxOrder = s.maxOrder;
      let maxId = s.maxId;
      for (const e of s.waiting) {
        const order = this.orders.get(key(e.data.channel, e.data.id));
        if (order === undefined) continue;
        if (order <= maxOrder) end.add(e.seq, e.at, this.sentence(e, order, maxId, maxOrder), subjectOf(e));
        else {
          maxOrder = order;
          maxId = e.data.id;
        }
      }
    }
    return end.judgement();
  }

  private sentence(e: EventOf<'client/messageShown'>, order: number, maxId: string, maxOrder: number): string {
    const d = e.data;
    return `event ${e.seq}: ${d.user} saw ${d.id} (no. ${order} in ${d.channel}'s history) after ${maxId} (no. ${maxOrder}); users see ${d.channel} out of order.`;
  }

  /**
   * Judges a stream's waiting shows in order. It stops at a show whose message is not persisted
   * yet and parks the stream until it is.
   */
  private drain(s: Stream): void {
    while (s.waiting !== null && s.waiting.length > 0) {
      const e = s.waiting[0] as EventOf<'client/messageShown'>;
      const d = e.data;
      const k = key(d.channel, d.id);
      const order = this.orders.get(k);
      if (order === undefined) {
        const parked = this.blocked.get(k);
        if (parked === undefined) this.blocked.set(k, [s]);
        else parked.push(s);
        return;
      }
      s.waiting.shift();
      if (order <= s.maxOrder) this.report(e, this.sentence(e, order, s.maxId, s.maxOrder), subjectOf(e));
      else {
        s.maxOrder = order;
        s.maxId = d.id;
      }
    }
    s.waiting = null;
  }
}

/** The subject of a finding about a show: the message, the user who saw it, the channel. */
function subjectOf(e: EventOf<'client/messageShown'>): { messageId: string; user: string; channel: string } {
  return { messageId: e.data.id, user: e.data.user, channel: e.data.channel };
}

/** English ordinal adverb for the n-th show: "a second time", "a third time", "a 21st time". */
function nthTime(n: number): string {
  if (n === 2) return 'a second time';
  if (n === 3) return 'a third time';
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `a ${n}${suffix} time`;
}

/**
 * A user is shown each send at most once: every extra show of the same (user, author, client
 * message id) is a violation, whatever server id each show carried (a send the chat service
 * stored twice under two ids is one send shown twice).
 */
export class DuplicateChecker extends BaseChecker {
  readonly name = 'duplicates';
  /** By (user, author, clientMsgId): the seq of the first show (a number, not an object: there is one per show). */
  private readonly firstShow = new Map<string, number>();
  /** By (user, author, clientMsgId), only for repeats: how many shows so far. */
  private readonly repeats = new Map<string, number>();

  /** Whether `user` has been shown `author`'s send `clientMsgId` (under any server id). */
  hasShown(user: string, author: string, clientMsgId: string): boolean {
    return this.firstShow.has(key(user, sendId(author, clientMsgId)));
  }

  observe(e: TraceEvent): void {
    if (e.type !== 'client/messageShown') return;
    const d = e.data;
    const k = key(d.user, sendId(d.author, d.clientMsgId));
    const first = this.firstShow.get(k);
    if (first === undefined) {
      this.firstShow.set(k, e.seq);
      return;
    }
    const times = (this.repeats.get(k) ?? 1) + 1;
    this.repeats.set(k, times);
    this.report(e, `event ${e.seq}: ${d.user} was shown ${d.author}'s ${d.clientMsgId} (${d.id}) in ${d.channel} ${nthTime(times)} (first at event ${first}).`, {
      ...subjectOf(e),
      clientMsgId: d.clientMsgId,
    });
  }
}

/**
 * Nothing is lost: by the end of the run, every persisted send has been shown to every member
 * of its channel who is online at the end (under any of its rows' ids). Members offline at the end are not judged, since they
 * would fetch the history when they return. A liveness rule, so it reports only in `finish`, at
 * the persisted event of each lost message, once per member who missed it.
 */
export class LostChecker extends BaseChecker {
  readonly name = 'lost';
  /**
   * Persisted sends, first row per (author, clientMsgId): [seq, at, channel, id, author,
   * clientMsgId] (not the events, which would keep their data alive).
   */
  private readonly persisted: [number, number, string, string, string, string][] = [];
  private readonly persistedKeys = new Set<string>();
  /** (user, author, clientMsgId) of every show. */
  private readonly shown = new Set<string>();
  /** Users whose latest connection event was `client/connected`. */
  private readonly online = new Set<string>();
  /** Users whose latest connection event was a disconnect (needed for warm-started users). */
  private readonly left = new Set<string>();
  /** Joins and leaves: who is owed a message (see MembershipTimeline.owedTo). */
  private readonly timeline: MembershipTimeline;

  /**
   * @param info the cluster's channels and their members.
   * @param shows a duplicates checker fed the same events, whose record of shows this one reads
   *   instead of keeping a second copy (with a million shows, that copy is most of its memory).
   */
  constructor(
    private readonly info: ClusterInfo,
    maxViolations?: number,
    private readonly shows?: DuplicateChecker,
  ) {
    super(maxViolations);
    this.timeline = new MembershipTimeline(info);
  }

  observe(e: TraceEvent): void {
    this.timeline.observe(e);
    switch (e.type) {
      case 'chat/messagePersisted': {
        const d = e.data;
        const k = sendId(d.author, d.clientMsgId);
        if (this.persistedKeys.has(k)) return;
        this.persistedKeys.add(k);
        this.persisted.push([e.seq, e.at, d.channel, d.id, d.author, d.clientMsgId]);
        return;
      }
      case 'client/messageShown': {
        if (this.shows !== undefined) return;
        const d = e.data;
        this.shown.add(key(d.user, sendId(d.author, d.clientMsgId)));
        return;
      }
      case 'client/connected': {
        const user = e.data.user;
        this.online.add(user);
        this.left.delete(user);
        return;
      }
      case 'client/disconnected':
      case 'client/wentOffline': {
        const user = e.data.user;
        this.online.delete(user);
        this.left.add(user);
        return;
      }
    }
  }

  /** Online at the end: connected last, or warm-started and never disconnected. */
  private isOnline(user: string): boolean {
    if (this.online.has(user)) return true;
    const warm = this.info.warmStartUsers ?? 0;
    if (warm <= 0 || this.left.has(user) || user.charCodeAt(0) !== 117 /* u */) return false;
    const n = Number(user.slice(1));
    return Number.isInteger(n) && n >= 1 && n <= warm;
  }

  /**
   * Every (message, member online now) pair never shown, as if the run ended now. It changes
   * nothing that could change a later answer: it forgets the messages every member has already
   * been shown (a show is never taken back), so a workbench that asks every second reads only
   * the messages still missing somewhere, not the whole run.
   */
  judgeEnd(): EndJudgement {
    const end = new EndFindings(this.name, this.maxViolations);
    let kept = 0;
    for (const entry of this.persisted) {
      const [seq, at, channel, id, author, clientMsgId] = entry;
      let missing = false;
      for (const user of this.timeline.owedTo(channel, id) ?? channelMembers(this.info.channels, this.info.personalChannelUsers ?? 0, channel) ?? []) {
        if (this.shows !== undefined ? this.shows.hasShown(user, author, clientMsgId) : this.shown.has(key(user, sendId(author, clientMsgId)))) continue;
        missing = true;
        if (!this.isOnline(user)) continue;
        end.add(seq, at, `${author}'s ${clientMsgId} (${id}) in ${channel} (persisted at event ${seq}) was never shown to ${user}, who is online at the end.`, { messageId: id, clientMsgId, user, channel });
      }
      if (missing) this.persisted[kept++] = entry;
    }
    this.persisted.length = kept;
    return end.judgement();
  }
}

/** One send of an author, in the author's own order. */
interface AuthorSend {
  /** 1 for the author's first send, 2 for the second, … */
  readonly index: number;
  readonly channel: string;
  readonly clientMsgId: string;
}

/**
 * Sender FIFO: each sender's messages appear in the order they were sent. A user who is shown an
 * author's send after a later send of the same author in the same channel sees the sender's own
 * order broken, whatever the channel's stored order says. This is the order a student reads in
 * the chat ("u3 #15" above "u3 #14"), and a per-channel sequence assigned in the order submits
 * reach the chat service does not promise it: the {@link OrderingChecker} judges the channel's
 * agreed (stored) order, this one the sender's.
 *
 * It judges by the sender's identity of a send alone: the author's client message ids, numbered
 * in the order of the author's `client/messageSent` events, and the (author, clientMsgId) every
 * show carries; a send stored twice under two ids is the same send. It reads the
 * {@link DuplicateChecker}'s record of who was shown what.
 */
export class SenderOrderChecker extends BaseChecker {
  readonly name = 'sender-order';
  /** Author → their sends in send order. */
  private readonly byAuthor = new Map<string, AuthorSend[]>();
  /** (author, clientMsgId) → its send. */
  private readonly byKey = new Map<string, AuthorSend>();

  /** @param shows a duplicates checker fed the same events, after this one (the record of who was shown what). */
  constructor(
    private readonly shows: DuplicateChecker,
    maxViolations?: number,
  ) {
    super(maxViolations);
  }

  observe(e: TraceEvent): void {
    if (e.type === 'client/messageSent') {
      const d = e.data;
      const k = sendId(d.user, d.clientMsgId);
      if (this.byKey.has(k)) return;
      let list = this.byAuthor.get(d.user);
      if (list === undefined) {
        list = [];
        this.byAuthor.set(d.user, list);
      }
      const send: AuthorSend = { index: list.length + 1, channel: d.channel, clientMsgId: d.clientMsgId };
      list.push(send);
      this.byKey.set(k, send);
      return;
    }
    if (e.type !== 'client/messageShown') return;
    const d = e.data;
    const send = this.byKey.get(sendId(d.author, d.clientMsgId));
    const list = this.byAuthor.get(d.author);
    // A send this user has already seen is judged at its first show (a repeat is a duplicate).
    if (send === undefined || list === undefined || this.shows.hasShown(d.user, d.author, d.clientMsgId)) return;
    // The author's later sends in this channel that this user already saw: the latest wins.
    for (let i = list.length - 1; i >= 0 && (list[i] as AuthorSend).index > send.index; i--) {
      const later = list[i] as AuthorSend;
      if (later.channel !== d.channel || !this.shows.hasShown(d.user, d.author, later.clientMsgId)) continue;
      this.report(
        e,
        `event ${e.seq}: ${d.user} saw ${d.author}'s message #${send.index} (${send.clientMsgId}, ${d.id}) after their #${later.index} (${later.clientMsgId}) in ${d.channel}; ${d.author} sent them in the other order.`,
        { messageId: d.id, clientMsgId: send.clientMsgId, user: d.user, channel: d.channel },
      );
      return;
    }
  }
}

/**
 * Causal order: a reply appears after what it answers. A user shown a reply (a send whose
 * `client/messageSent` carries `replyTo`) who has not yet been shown the message it answers sees
 * an answer to a question they cannot see. Judged by sender identities (the reply's and the
 * answered message's author and client message id), at the reply's first show to each user.
 * Neither the agreed order nor sender FIFO implies it: the reply and what it answers usually have
 * different senders, and a channel's agreed order may still be one that puts the reply first.
 */
export class CausalChecker extends BaseChecker {
  readonly name = 'causal';
  /** (author, clientMsgId) of each reply → what it answers. */
  private readonly answers = new Map<string, ReplyRef>();

  /** @param shows a duplicates checker fed the same events, after this one (the record of who was shown what). */
  constructor(
    private readonly shows: DuplicateChecker,
    maxViolations?: number,
  ) {
    super(maxViolations);
  }

  observe(e: TraceEvent): void {
    if (e.type === 'client/messageSent') {
      if (e.data.replyTo !== undefined) this.answers.set(sendId(e.data.user, e.data.clientMsgId), e.data.replyTo);
      return;
    }
    if (e.type !== 'client/messageShown') return;
    const d = e.data;
    const parent = this.answers.size === 0 ? undefined : this.answers.get(sendId(d.author, d.clientMsgId));
    if (parent === undefined || this.shows.hasShown(d.user, d.author, d.clientMsgId)) return;
    if (this.shows.hasShown(d.user, parent.author, parent.clientMsgId)) return;
    this.report(
      e,
      `event ${e.seq}: ${d.user} saw ${d.author}'s reply ${d.clientMsgId} (${d.id}) in ${d.channel} before the message it answers, ${parent.author}'s ${parent.clientMsgId} (${parent.id}).`,
      { messageId: d.id, clientMsgId: d.clientMsgId, user: d.user, channel: d.channel },
    );
  }
}

/** What became of a send still without an ack or a shown error. */
interface OpenSend {
  readonly seq: number;
  readonly at: number;
  readonly user: string;
  readonly channel: string;
  readonly clientMsgId: string;
  /** Some user (the sender included) has been shown it. */
  delivered: boolean;
}

/** The user-visible outcome of every send, as counts (see {@link SendOutcomeChecker.outcomes}). */
export interface SendOutcomes {
  /** Sends the server acknowledged to the sender. */
  readonly acked: number;
  /** Sends that failed with an error shown to the sender (and were not acknowledged). */
  readonly failedShown: number;
  /** Sends still waiting on the sender's screen (no ack, no error) that someone was shown. */
  readonly pending: number;
  /** Sends that silently vanished: no ack, no error shown, and nobody was shown them. */
  readonly lost: number;
}

/**
 * No send vanishes silently: by the end of the run every send is acknowledged to its sender, or
 * failed with an error shown to the sender (`client/sendFailed`), or at least delivered (shown
 * to someone). A send with none of these is lost from the sender's point of view: they were
 * never told, and nobody saw it. This catches losses before the database, which the
 * {@link LostChecker} (persisted messages only) cannot see. A liveness rule: it reports in
 * `judgeEnd`, at each lost send's `client/messageSent`.
 *
 * It keeps only the sends without an ack or error (in flight), so asking often costs what is open.
 */
export class SendOutcomeChecker extends BaseChecker {
  readonly name = 'lost-sends';
  /** (user, clientMsgId) → a send without an ack or a shown error yet. */
  private readonly open = new Map<string, OpenSend>();
  private acked = 0;
  private failed = 0;

  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'client/messageSent': {
        const d = e.data;
        this.open.set(sendId(d.user, d.clientMsgId), { seq: e.seq, at: e.at, user: d.user, channel: d.channel, clientMsgId: d.clientMsgId, delivered: false });
        return;
      }
      case 'client/sendAcked':
      case 'client/sendFailed': {
        // The first outcome the sender saw is the send's outcome (a client sends each key once,
        // and after an error it ignores a late ack); a second ack of a duplicated frame is not counted.
        if (!this.open.delete(sendId(e.data.user, e.data.clientMsgId))) return;
        if (e.type === 'client/sendAcked') this.acked++;
        else this.failed++;
        return;
      }
      case 'client/messageShown': {
        const open = this.open.size === 0 ? undefined : this.open.get(sendId(e.data.author, e.data.clientMsgId));
        if (open !== undefined) open.delivered = true;
        return;
      }
      default:
        return;
    }
  }

  /** The outcome of every send so far, as if the run ended now. */
  outcomes(): SendOutcomes {
    let pending = 0;
    let lost = 0;
    for (const s of this.open.values()) {
      if (s.delivered) pending++;
      else lost++;
    }
    return { acked: this.acked, failedShown: this.failed, pending, lost };
  }

  /** Every open send nobody was shown, as if the run ended now (changes nothing). */
  judgeEnd(): EndJudgement {
    const end = new EndFindings(this.name, this.maxViolations);
    for (const s of this.open.values()) {
      if (s.delivered) continue;
      end.add(s.seq, s.at, `${s.user}'s send ${s.clientMsgId} in ${s.channel} (event ${s.seq}) silently vanished: no ack, no error shown to ${s.user}, and nobody was shown it.`, {
        clientMsgId: s.clientMsgId,
        user: s.user,
        channel: s.channel,
      });
    }
    return end.judgement();
  }
}

/** Only members receive a channel's messages: a receive or show for a non-member (or an unknown channel) is a violation. */
export class MembershipChecker extends BaseChecker {
  readonly name = 'membership';
  /**
   * Channel → its members as a set, built on a channel's first event: with a million channels,
   * building them all up front would cost more than the run.
   */
  private readonly members = new Map<string, ReadonlySet<string>>();
  /** Joins and leaves during the run, and the visibility rule they are judged by. */
  private readonly timeline: MembershipTimeline;

  /** @param info the cluster's channels and their members. */
  constructor(
    private readonly info: ClusterInfo,
    maxViolations?: number,
  ) {
    super(maxViolations);
    this.timeline = new MembershipTimeline(info);
  }

  observe(e: TraceEvent): void {
    this.timeline.observe(e);
    if (e.type !== 'client/messageReceived' && e.type !== 'client/messageShown') return;
    const d = e.data;
    const verb = e.type === 'client/messageShown' ? 'was shown' : 'received';
    if (this.timeline.dynamic) {
      if (!this.timeline.exists(d.channel)) {
        this.report(e, `event ${e.seq}: ${d.user} ${verb} ${d.id} from ${d.channel}, a channel that does not exist.`, { messageId: d.id, user: d.user, channel: d.channel });
      } else if (!this.timeline.maySee(d.user, d.channel, d.id, e.seq)) {
        this.report(e, `event ${e.seq}: ${d.user} ${verb} ${d.id} from ${d.channel}, sent while ${d.user} was not a member (${this.info.historyVisibility ?? 'all'} history).`, { messageId: d.id, user: d.user, channel: d.channel });
      }
      return;
    }
    let members = this.members.get(d.channel);
    if (members === undefined) {
      const list = channelMembers(this.info.channels, this.info.personalChannelUsers ?? 0, d.channel);
      if (list !== undefined) {
        members = new Set(list);
        this.members.set(d.channel, members);
      }
    }
    if (members === undefined) {
      this.report(e, `event ${e.seq}: ${d.user} ${verb} ${d.id} from ${d.channel}, a channel that does not exist.`, { messageId: d.id, user: d.user, channel: d.channel });
    } else if (!members.has(d.user)) {
      this.report(e, `event ${e.seq}: ${d.user} ${verb} ${d.id} from ${d.channel}, a channel ${d.user} is not a member of.`, { messageId: d.id, user: d.user, channel: d.channel });
    }
  }
}

/**
 * Fresh instances of the chat checkers for one run, one per rule, each reported under its own
 * name: `ordering` (agreed order: the channel's stored order), `sender-order` (sender FIFO),
 * `causal` (replies after what they answer), `duplicates`, `lost` (persisted messages never shown
 * to an online member), `lost-sends` (sends that vanished without their sender being told),
 * `membership` and `frames` (every frame a client receives, `./frames.ts`). Feed them every event in seq order (online, or offline with `runCheckers`); the
 * liveness rules report through `judgeEnd`. The order matters: the checkers that read the
 * duplicates checker's record judge a show before it records that show.
 *
 * @example
 * const violations = runCheckers(sim.trace.events, chatCheckers(info));
 */
export function chatCheckers(info: ClusterInfo): Checker[] {
  const duplicates = new DuplicateChecker();
  return [
    new OrderingChecker(),
    new SenderOrderChecker(duplicates),
    new CausalChecker(duplicates),
    duplicates,
    new LostChecker(info, undefined, duplicates),
    new SendOutcomeChecker(),
    new MembershipChecker(info),
    new FrameChecker(info),
  ];
}
