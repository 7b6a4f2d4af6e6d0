/**
 * The chat panel's view: a user's screen, rebuilt from the trace alone. A client records every
 * message it shows with its position in the channel's list (`client/messageShown`), every send
 * that failed for good (`client/sendFailed`), and its connection (`client/connected`,
 * `client/disconnected`), so the screen is the trace's, not the node's memory: a crashed client
 * whose list starts again at position 0 starts again here too.
 */
import type { MessageCatalog } from '../../diagrams/index.ts';
import type { SendErrorCode, TraceEvent } from '../../sim/index.ts';

/** One message as a user sees it. */
export interface ShownMessage {
  readonly id: string;
  readonly seq: number | null;
  readonly author: string;
  readonly text: string;
  /** When it appeared on the screen. */
  readonly at: number;
}

/** A send the user saw fail: the client gave up, or the server refused it. */
export interface FailedSend {
  readonly clientMsgId: string;
  readonly channel: string;
  readonly text: string;
  readonly code: SendErrorCode | 'TIMEOUT';
  readonly message: string;
  /** When the failure reached the user. */
  readonly at: number;
}

/** A user's screen. */
export interface UserView {
  readonly user: string;
  readonly online: boolean;
  readonly server: string | null;
  readonly channels: readonly {
    readonly id: string;
    readonly members: readonly string[];
    /** The newest shown messages, oldest first (at most {@link SHOWN_MAX}). */
    readonly shown: readonly ShownMessage[];
    /** How many messages the channel shows in all. */
    readonly shownTotal: number;
    /** False for a channel the user left: its history stays on screen, read-only. */
    readonly member: boolean;
  }[];
  /** Group channels the user is not in and may join (private chats are fixed). */
  readonly joinable: readonly string[];
  /** The user's failed sends, newest last (at most {@link FAILED_MAX}). */
  readonly failed: readonly FailedSend[];
}

/** Messages of a channel returned at most: the panel shows the newest, like a chat app. */
export const SHOWN_MAX = 200;
/** Failed sends returned at most. */
export const FAILED_MAX = 50;

interface Shown {
  readonly id: string;
  readonly seq: number | null;
  readonly author: string;
  readonly at: number;
}

/**
 * Every user's screen, kept up to date event by event.
 *
 * @example
 * const screens = new Screens();
 * for (const e of trace.events) screens.observe(e);
 * screens.view('u1', channels, catalog).channels[0]?.shown.length;
 */
export class Screens {
  /** (user, channel) → shown messages in screen order. */
  private readonly lists = new Map<string, Shown[]>();
  private readonly failedBy = new Map<string, { clientMsgId: string; channel: string; code: SendErrorCode | 'TIMEOUT'; message: string; at: number }[]>();
  private readonly serverOf = new Map<string, string | null>();
  /** Channel → joins and leaves the chat service applied, in order (only channels that had any). */
  private readonly membership = new Map<string, { user: string; join: boolean }[]>();

  /** Takes the next event of the trace. */
  observe(e: TraceEvent): void {
    switch (e.type) {
      case 'client/messageShown': {
        const k = e.data.user + '\u0000' + e.data.channel;
        let list = this.lists.get(k);
        if (list === undefined) {
          list = [];
          this.lists.set(k, list);
        }
        // The position is where the client put it: a restarted client starts its list again.
        if (e.data.position < list.length) list.length = e.data.position;
        list.push({ id: e.data.id, seq: e.data.seq, author: e.data.author, at: e.at });
        return;
      }
      case 'client/sendFailed': {
        const list = this.failedBy.get(e.data.user) ?? [];
        list.push({ clientMsgId: e.data.clientMsgId, channel: e.data.channel, code: e.data.code, message: e.data.message, at: e.at });
        this.failedBy.set(e.data.user, list);
        return;
      }
      case 'client/connected':
        this.serverOf.set(e.data.user, e.data.server);
        return;
      case 'chat/membershipChanged': {
        const list = this.membership.get(e.data.channel) ?? [];
        list.push({ user: e.data.user, join: e.data.action === 'join' });
        this.membership.set(e.data.channel, list);
        return;
      }
      case 'client/disconnected':
      case 'client/wentOffline':
        this.serverOf.set(e.data.user, null);
        return;
      default:
        return;
    }
  }

  /**
   * A user's screen: their channels with the newest shown messages (texts from the catalog of the
   * run's messages), and their failed sends. Costs what it returns.
   */
  view(user: string, channels: readonly { readonly id: string; readonly members: readonly string[] }[], catalog: MessageCatalog, warmOnline = false): UserView {
    const server = this.serverOf.get(user);
    // Members now: the configured ones, changed by the joins and leaves applied so far.
    const now = channels.map((c) => {
      const changes = this.membership.get(c.id);
      if (changes === undefined) return c;
      const members = new Set(c.members);
      for (const ch of changes) {
        if (ch.join) members.add(ch.user);
        else members.delete(ch.user);
      }
      return { id: c.id, members: [...members] };
    });
    // A channel the user left stays on screen with what it showed.
    const mine = now.filter((c) => c.members.includes(user) || this.lists.has(user + '\u0000' + c.id));
    const failed = (this.failedBy.get(user) ?? []).slice(-FAILED_MAX).map((f) => ({ ...f, text: catalog.byKey(f.clientMsgId)?.text ?? '' }));
    return {
      user,
      // A warm-started user is connected from the start without a `client/connected` event.
      online: server === undefined ? warmOnline : server !== null,
      server: server ?? null,
      channels: mine.map((c) => {
        const list = this.lists.get(user + '\u0000' + c.id) ?? [];
        const shown = list.slice(-SHOWN_MAX).map((m) => ({ id: m.id, seq: m.seq, author: m.author, text: catalog.byId(m.id)?.text ?? '', at: m.at }));
        return { id: c.id, members: c.members, shown, shownTotal: list.length, member: c.members.includes(user) };
      }),
      joinable: now.filter((c) => !c.id.startsWith('dm:') && !c.id.startsWith('p:') && !c.members.includes(user)).map((c) => c.id),
      failed,
    };
  }
}
