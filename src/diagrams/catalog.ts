/**
 * The chat messages of a trace, kept up to date event by event: who sent what, when, in which
 * channel, and — as the trace learns them — the server id, the sequence number and the position
 * in the channel's stored history. The sequence diagram's picker, its follow mode and its window
 * mode read it; so do the workbench's chat and table views.
 */
import type { ChatMessage, TraceEvent } from '../sim/index.ts';

/** A chat message as the trace knows it. */
export interface ChatMessageRef {
  /** Server id; null if the message never got one (rejected, lost before the chat service). */
  readonly id: string | null;
  readonly clientMsgId: string;
  readonly author: string;
  /** The node that plays the author (`c-u1`, or a fleet). */
  readonly authorNode: string;
  readonly channel: string;
  readonly text: string;
  /** When the client sent it (first attempt). */
  readonly sentAt: number;
  /** Sequence number, if ordering assigned one. */
  readonly seq: number | null;
  /** Position in the channel's stored history (the ground truth of order), once persisted. */
  readonly order: number | null;
}

interface Draft {
  id: string | null;
  clientMsgId: string;
  author: string;
  authorNode: string;
  channel: string;
  text: string;
  sentAt: number;
  seq: number | null;
  order: number | null;
}

/**
 * The catalog. Entries appear in the order the trace first mentions them (a client's send, or
 * the chat service sequencing a message an operator injected), which is also the order of their
 * `sentAt`, so time queries are binary searches.
 *
 * @example
 * const catalog = new MessageCatalog();
 * for (const e of trace.events) catalog.observe(e);
 * catalog.byId('m3')?.text; // 'Look: <b>bold</b>'
 */
export class MessageCatalog {
  private readonly list: Draft[] = [];
  private readonly keyed = new Map<string, Draft>();
  private readonly ided = new Map<string, Draft>();

  /** Takes the next event of the trace. */
  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'client/messageSent': {
        const d = e.data;
        if (!this.keyed.has(d.clientMsgId)) {
          this.add({ id: null, clientMsgId: d.clientMsgId, author: d.user, authorNode: e.node, channel: d.channel, text: d.text, sentAt: e.at, seq: null, order: null });
        }
        return;
      }
      case 'chat/messageSequenced': {
        const d = e.data;
        let m = this.keyed.get(d.clientMsgId);
        // Injected by an operator, or the client's send fell outside the events given.
        m ??= this.add({ id: d.id, clientMsgId: d.clientMsgId, author: d.author, authorNode: `c-${d.author}`, channel: d.channel, text: '', sentAt: e.at, seq: null, order: null });
        m.id = d.id;
        m.seq = d.seq;
        this.ided.set(d.id, m);
        return;
      }
      case 'chat/duplicateSubmission':
      case 'client/sendAcked': {
        const m = this.keyed.get(e.data.clientMsgId);
        if (m !== undefined && m.id === null) {
          m.id = e.data.id;
          this.ided.set(m.id, m);
        }
        return;
      }
      case 'chat/messagePersisted': {
        const m = this.ided.get(e.data.id);
        if (m !== undefined) m.order = e.data.order;
        return;
      }
    }
  }

  /**
   * A message carried in a payload (a delivery, a history page): its text, for messages the
   * trace never saw a client send (injected by an operator at the chat service).
   */
  learnCarried(m: ChatMessage): void {
    const known = this.ided.get(m.id);
    if (known !== undefined && known.text === '') known.text = m.text;
  }

  private add(m: Draft): Draft {
    this.list.push(m);
    this.keyed.set(m.clientMsgId, m);
    return m;
  }

  /** Messages known, in the order they were sent. */
  get size(): number {
    return this.list.length;
  }

  /** The message at a position in send order. */
  at(index: number): ChatMessageRef | undefined {
    return this.list[index];
  }

  /** Every message, in send order (read-only). */
  get all(): readonly ChatMessageRef[] {
    return this.list;
  }

  /** The newest `n` messages, oldest first. */
  newest(n: number): readonly ChatMessageRef[] {
    return this.list.slice(Math.max(0, this.list.length - n));
  }

  /** A message by its server id. */
  byId(id: string): ChatMessageRef | undefined {
    return this.ided.get(id);
  }

  /** A message by its sender's idempotency key. */
  byKey(clientMsgId: string): ChatMessageRef | undefined {
    return this.keyed.get(clientMsgId);
  }

  /** The messages sent with `fromMs ≤ sentAt ≤ toMs`, in send order. */
  sentBetween(fromMs: number, toMs: number): readonly ChatMessageRef[] {
    if (toMs < fromMs) return [];
    return this.list.slice(this.lowerBound(fromMs), this.lowerBound(toMs + 1));
  }

  /** The latest message sent at or before `atMs`. */
  latestAtOrBefore(atMs: number): ChatMessageRef | undefined {
    return this.list[this.lowerBound(atMs + 1) - 1];
  }

  private lowerBound(ms: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.list[mid] as Draft).sentAt < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Every chat message a client sent (or the chat service sequenced) up to `atMs`, in send order,
 * with its id, sequence number and stored order once known. Useful for a message picker.
 *
 * @example
 * chatMessagesOf(events).map((m) => m.id); // ['m1', 'm2', 'm3', 'm4']
 */
export function chatMessagesOf(events: readonly TraceEvent[], options: { readonly atMs?: number } = {}): ChatMessageRef[] {
  const atMs = options.atMs ?? Number.POSITIVE_INFINITY;
  const catalog = new MessageCatalog();
  for (const e of events) {
    if (e.at > atMs) break;
    catalog.observe(e);
  }
  return catalog.all.map((m) => ({ ...m }));
}
