/**
 * What a client receives, judged frame by frame (ADR 0013). The chat checkers judge the messages
 * a user is shown; this one reads every frame that reaches a client node from the network — chat
 * messages, history pages, typing notices, presence, acknowledgements and errors, inside a long
 * poll's answer too — and reports any that tells the user about a channel they are not a member
 * of, or that is addressed to another user. It reads only the trace (`net/messageSent` for the
 * payload, `net/messageDelivered` for the moment it arrived) and the cluster's static facts, so a
 * design that leaks by a path no chat checker watches is still caught.
 *
 * The rules, per frame type:
 * - `deliver`, `push`: the recipient is a member of the message's channel;
 * - `historyPage`: the recipient is a member of the channel of every message in it (an empty
 *   page, the answer to a request for a channel the user may not read, carries nothing);
 * - `typingNotice`: the recipient is a member of the channel, and so is the user typing;
 * - `presence`: every status is the recipient's own or a contact's (a user sharing a channel);
 * - `sendAck`: the recipient is a member of the channel, and sent that client message id;
 * - `sendError`: the recipient sent that client message id (the channel may be one they are
 *   not in: that is what a FORBIDDEN answer is about);
 * - a fleet's `toUser`: the fleet plays that user.
 */
import { SERVER_FRAME_TYPES, channelMembers, readWire, type ClusterInfo, type ServerFrame, type TraceEvent } from '../contract/index.ts';
import { BaseChecker } from './checker.ts';
import { MembershipTimeline } from './membership.ts';

/** Channels with at most this many members are checked in their list; bigger ones get a set. */
const SMALL_CHANNEL = 32;

/** Every frame a client receives concerns only the channels and users the recipient may see. */
export class FrameChecker extends BaseChecker {
  readonly name = 'frames';
  /**
   * Payloads sent to client nodes and not yet delivered, by their `net/messageSent` seq. Kept raw
   * (read only on arrival), so a frame in flight costs one map entry and no allocation.
   */
  private readonly inFlight = new Map<number, unknown>();
  /**
   * Channel → its members, looked up on a channel's first frame: the configured list itself for a
   * small channel (a million-user run has a hundred thousand groups of ten, and a set for each
   * would be memory every collection walks), a set for a big one, null for an unknown channel.
   */
  private readonly members = new Map<string, readonly string[] | ReadonlySet<string> | null>();
  /** Client node → the user it plays (single clients only), built on the first unwrapped frame. */
  private userOfNode: Map<string, string> | null = null;
  /** User → their channels, built on the first presence frame (for the contact rule). */
  private channelsOfUser: Map<string, string[]> | null = null;
  /** Client message id → the user who sent it. */
  private readonly sender = new Map<string, string>();
  /** Joins and leaves during the run (see MembershipTimeline for the rule). */
  private readonly timeline: MembershipTimeline;

  /** @param info the cluster's channels, members and client nodes. */
  constructor(
    private readonly info: ClusterInfo,
    maxViolations?: number,
  ) {
    super(maxViolations);
    this.timeline = new MembershipTimeline(info);
  }

  observe(e: TraceEvent): void {
    this.timeline.observe(e);
    switch (e.type) {
      case 'client/messageSent':
        if (!this.sender.has(e.data.clientMsgId)) this.sender.set(e.data.clientMsgId, e.data.user);
        return;
      case 'net/messageSent':
        if (this.info.nodeKinds.get(e.data.to) === 'client') this.inFlight.set(e.seq, e.data.msg);
        return;
      case 'net/messageDropped':
        if (e.causeSeq !== null) this.inFlight.delete(e.causeSeq);
        return;
      case 'net/messageDelivered': {
        if (e.causeSeq === null) return;
        const payload = this.inFlight.get(e.causeSeq);
        if (payload === undefined) return;
        this.inFlight.delete(e.causeSeq);
        const msg = readWire(payload);
        if (msg === null) return;
        const to = e.data.to;
        if (msg.type === 'toUser') {
          if (this.info.clientNodes.get(msg.user) !== to) {
            this.report(e, `event ${e.seq}: ${to} received a ${msg.frame.type} frame addressed to ${msg.user}, but ${to} does not play ${msg.user}.`, { user: msg.user, node: to });
            return;
          }
          this.judge(e, msg.user, msg.frame);
          return;
        }
        const user = this.nodeUser(to);
        // Operator injections and unknown payloads reach clients too; only server frames are judged.
        if (user !== undefined && isServerFrame(msg)) this.judge(e, user, msg);
        return;
      }
      default:
        return;
    }
  }

  private judge(e: TraceEvent, user: string, frame: ServerFrame): void {
    const at = `event ${e.seq}: ${user} received`;
    switch (frame.type) {
      case 'deliver':
      case 'push': {
        const m = frame.message;
        if (!this.maySee(user, m.channel, m.id, e.seq)) this.report(e, `${at} ${m.id} of ${m.channel} (a ${frame.type}), a channel ${user} is not a member of.`, { messageId: m.id, user, channel: m.channel });
        return;
      }
      case 'historyPage':
        for (const m of frame.messages) {
          if (this.maySee(user, m.channel, m.id, e.seq)) continue;
          this.report(e, `${at} a history page of ${frame.channel} with ${m.id} of ${m.channel}, a channel ${user} is not a member of.`, { messageId: m.id, user, channel: m.channel });
          return;
        }
        return;
      case 'typingNotice':
        if (!this.wasMember(user, frame.channel, e.seq)) this.report(e, `${at} a typing notice from ${frame.user} in ${frame.channel}, a channel ${user} is not a member of.`, { user, channel: frame.channel });
        else if (!this.wasMember(frame.user, frame.channel, e.seq)) this.report(e, `${at} a typing notice from ${frame.user} in ${frame.channel}, a channel ${frame.user} is not a member of.`, { user, channel: frame.channel });
        return;
      case 'presence': {
        const strangers = frame.users.map((s) => s.user).filter((u) => u !== user && !this.isContact(user, u, e.seq));
        if (strangers.length > 0) this.report(e, `${at} the presence of ${strangers.slice(0, 3).join(', ')}${strangers.length > 3 ? ` and ${strangers.length - 3} more` : ''}, who share${strangers.length === 1 ? 's' : ''} no channel with ${user}.`, { user });
        return;
      }
      case 'sendAck':
      case 'sendError': {
        const sender = this.sender.get(frame.clientMsgId);
        if (sender !== undefined && sender !== user) {
          this.report(e, `${at} a ${frame.type} for ${frame.clientMsgId}, which ${sender} sent, not ${user}.`, { clientMsgId: frame.clientMsgId, user, channel: frame.channel });
        } else if (frame.type === 'sendAck' && !this.wasMember(user, frame.channel, e.seq)) {
          this.report(e, `${at} a sendAck for ${frame.clientMsgId} in ${frame.channel}, a channel ${user} is not a member of.`, { clientMsgId: frame.clientMsgId, user, channel: frame.channel });
        }
        return;
      }
      case 'pollResponse':
        for (const f of frame.frames) this.judge(e, user, f);
        return;
      default:
        return;
    }
  }

  private nodeUser(node: string): string | undefined {
    if (this.userOfNode === null) {
      this.userOfNode = new Map();
      for (const [user, n] of this.info.clientNodes) if (!n.startsWith('fleet-')) this.userOfNode.set(n, user);
    }
    return this.userOfNode.get(node);
  }

  private isMember(user: string, channel: string): boolean {
    let members = this.members.get(channel);
    if (members === undefined) {
      const list = channelMembers(this.info.channels, this.info.personalChannelUsers ?? 0, channel);
      members = list === undefined ? null : list.length > SMALL_CHANNEL ? new Set(list) : list;
      this.members.set(channel, members);
    }
    if (members === null) return false;
    return Array.isArray(members) ? (members as readonly string[]).includes(user) : (members as ReadonlySet<string>).has(user);
  }

  /** A message of a channel: by the membership rule once anyone joined or left, else by the configured members. */
  private maySee(user: string, channel: string, id: string, at: number): boolean {
    return this.timeline.dynamic ? this.timeline.maySee(user, channel, id, at) : this.isMember(user, channel);
  }

  /**
   * Typing notices, acks and presence are judged by "has been a member" once memberships change:
   * presence learns of a leave one hop away from the chat service, so a notice already on its way
   * may land just after the leave took effect (a leak of who typed, not of any message).
   */
  private wasMember(user: string, channel: string, at: number): boolean {
    return this.timeline.dynamic ? this.timeline.wasMember(user, channel, at) : this.isMember(user, channel);
  }

  private isContact(a: string, b: string, at: number): boolean {
    if (this.isStaticContact(a, b)) return true;
    if (!this.timeline.dynamic) return false;
    for (const ch of [...this.timeline.channelsEverOf(a), ...this.timeline.channelsEverOf(b)]) {
      if (this.timeline.wasMember(a, ch, at) && this.timeline.wasMember(b, ch, at)) return true;
    }
    return false;
  }

  private isStaticContact(a: string, b: string): boolean {
    if (this.channelsOfUser === null) {
      this.channelsOfUser = new Map();
      for (const [channel, members] of this.info.channels) {
        for (const u of members) {
          const list = this.channelsOfUser.get(u);
          if (list === undefined) this.channelsOfUser.set(u, [channel]);
          else list.push(channel);
        }
      }
    }
    return (this.channelsOfUser.get(a) ?? []).some((ch) => this.isMember(b, ch));
  }
}


function isServerFrame(msg: { readonly type: string }): msg is ServerFrame {
  return Object.prototype.hasOwnProperty.call(SERVER_FRAME_TYPES, msg.type);
}
