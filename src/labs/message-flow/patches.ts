/**
 * The message-flow lab's run: the private-chat preset grown to four users, with a private channel
 * between u1 (User A) and u2 (User B) and a group g1 that B belongs to, presence switched on, and
 * two scripted sends from A. Users connect over the first eight seconds, so presence changes land
 * in the middle of the flow rather than all at t = 0.
 */
import type { LabRun } from '../framework/index.ts';

/** A's private channel with B, and the group B is in. */
export const DM = 'dm:u1:u2';
export const GROUP = 'g1';

/** When A sends each message (ms of virtual time). */
export const PRIVATE_AT_MS = 10_000;
export const GROUP_AT_MS = 13_000;

export const FLOW_RUN: LabRun = {
  scenario: 'private-chat',
  patch: {
    description: 'User A (u1) sends B (u2) a private message at 10 s and the group g1, which B is in, a message at 13 s; presence is on.',
    presence: { enabled: true },
    workload: {
      users: 4,
      connectSpreadMs: 8_000,
      channels: [
        { id: DM, members: ['u1', 'u2'] },
        { id: GROUP, members: ['u1', 'u2', 'u3', 'u4'] },
      ],
      script: [
        { atMs: PRIVATE_AT_MS, user: 'u1', channel: DM, text: 'Hi B, lunch at noon?' },
        { atMs: GROUP_AT_MS, user: 'u1', channel: GROUP, text: 'Stand-up moved to 10:15' },
      ],
    },
  },
};
