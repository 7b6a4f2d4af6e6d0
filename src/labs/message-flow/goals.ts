/**
 * What the message-flow lab asks of a run, as data: B was shown the private message, every member
 * of the group was shown the group message, both went through the broker, and nothing was lost.
 */
import type { Goal } from '../framework/index.ts';
import { DM, GROUP } from './patches.ts';

export const B_SAW_PRIVATE: Goal = {
  kind: 'figure',
  figure: { kind: 'eventCount', type: 'client/messageShown', match: { user: 'u2', channel: DM }, label: 'private messages shown to B' },
  op: '>=',
  value: 1,
};

export const GROUP_SHOWN_TO_ALL: Goal = {
  kind: 'figure',
  figure: { kind: 'eventCount', type: 'client/messageShown', match: { channel: GROUP }, label: 'group message shown (per member)' },
  op: '>=',
  value: 4,
};

export const WENT_THROUGH_BROKER: Goal = { kind: 'event', type: 'broker/published', atLeast: 2 };

export const NOTHING_LOST: Goal = { kind: 'checker', checker: 'lost', fires: false };

export const PRESENCE_CHANGED: Goal = { kind: 'event', type: 'presence/statusChanged', atLeast: 4 };
