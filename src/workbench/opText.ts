/**
 * Words for operator verbs, as the workbench labels the interventions it keeps: pure text and
 * classification, nothing here decides anything about the run. The page reads the labels and
 * kinds from the interventions, so a verb reads the same everywhere.
 */
import { isUserAction, userMembershipOf, userSendOf, type Op } from '../sim/index.ts';

/** Cuts text to `max` characters with an ellipsis. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const userOf = (node: string): string => (node.startsWith('c-') ? node.slice(2) : node);

const ratioText = (ratio: unknown): string => {
  if (ratio === null || ratio === undefined) return 'the configured rate';
  const r = ratio as { num?: number; den?: number };
  if (typeof r.num === 'number' && typeof r.den === 'number' && r.den > 0) return `${Math.round((100 * r.num) / r.den)}%`;
  return String(ratio);
};

/**
 * One line describing an operator verb, in the lab's words.
 *
 * @example
 * describeOp({ verb: 'crash', node: 'ws-2' }); // 'crash ws-2'
 * describeOp({ verb: 'partition', a: ['ws-1'], b: ['broker'] }); // 'partition ws-1 ↔ broker'
 */
export function describeOp(op: Op): string {
  switch (op.verb) {
    case 'crash':
      return `crash ${op.node}`;
    case 'restart':
      return `restart ${op.node}`;
    case 'slow':
      return op.factor === 1 ? `${op.node} back to normal speed` : `slow ${op.node} ×${op.factor}`;
    case 'partition':
      return `partition ${op.a.join(', ')} ${op.oneWay === true ? '→' : '↔'} ${op.b.join(', ')}`;
    case 'heal':
      return op.a === undefined && op.b === undefined ? 'heal every partition' : `heal ${(op.a ?? []).join(', ')} ↔ ${(op.b ?? []).join(', ')}`;
    case 'delay':
      return op.extraMs === 0 ? `remove the delay on ${op.from} → ${op.to}` : `delay ${op.from} ${op.twoWay === true ? '↔' : '→'} ${op.to} by ${op.extraMs} ms`;
    case 'drop':
      return op.ratio === null ? `stop dropping on ${op.from} → ${op.to}` : `drop ${ratioText(op.ratio)} on ${op.from} ${op.twoWay === true ? '↔' : '→'} ${op.to}`;
    case 'duplicate':
      return op.ratio === null ? `stop duplicating on ${op.from} → ${op.to}` : `duplicate ${ratioText(op.ratio)} on ${op.from} → ${op.to}`;
    case 'hold':
      return `hold ${op.from} → ${op.to}`;
    case 'release':
      return `release ${op.from} → ${op.to}`;
    case 'clog':
      return `clog ${op.from} → ${op.to} for ${op.durationMs} ms`;
    case 'addServer':
      return op.node === undefined ? 'add a server' : `add server ${op.node}`;
    case 'removeServer':
      return `drain ${op.node}`;
    case 'inject': {
      const send = userSendOf(op);
      if (send !== null) return `${userOf(op.node)} sends “${clip(send.text, 32)}” in ${send.channel}`;
      const change = userMembershipOf(op);
      if (change !== null) return `${userOf(op.node)} ${change.action === 'join' ? 'joins' : 'leaves'} ${change.channel}`;
      return `inject a message into ${op.node}`;
    }
  }
}

/** True for verbs that break something (shown in the danger colour); false for repairs and sends. */
export function isFault(op: Op): boolean {
  switch (op.verb) {
    case 'crash':
    case 'partition':
    case 'hold':
    case 'clog':
    // Draining is planned, but it closes every connection on the server: users see a reconnect.
    case 'removeServer':
      return true;
    case 'slow':
      return op.factor !== 1;
    case 'delay':
      return op.extraMs > 0;
    case 'drop':
    case 'duplicate':
      return op.ratio !== null;
    default:
      return false;
  }
}

/** What an intervention is, for the timeline's colours and the faults count. */
export type InterventionKind = 'fault' | 'repair' | 'user';

/**
 * A user at the keyboard (the chat panel's send), a fault, or a repair. A user's send is not a
 * fault: it is what the cluster is for.
 *
 * @example
 * interventionKind({ verb: 'crash', node: 'ws-2' }); // 'fault'
 */
export function interventionKind(op: Op): InterventionKind {
  if (isUserAction(op)) return 'user';
  // Any other injected message is the operator forging traffic: a fault.
  if (op.verb === 'inject') return 'fault';
  return isFault(op) ? 'fault' : 'repair';
}
