/**
 * Lab: the message flow (required diagram 1). A private and a group message from User A, on the
 * actual path through the cluster, with presence updates where they happen, and a prediction the
 * run answers (persist or publish first).
 */
import type { FigureSpec, LabManifest, TraceEventType } from '../framework/index.ts';
import { CONTROLS } from './controls.ts';
import { B_SAW_PRIVATE, GROUP_SHOWN_TO_ALL, NOTHING_LOST, PRESENCE_CHANGED, WENT_THROUGH_BROKER } from './goals.ts';
import * as text from './narration.ts';
import { DM, FLOW_RUN, GROUP } from './patches.ts';

/** Time from A's send of a channel's first message to an event about it (ms). */
const sinceSend = (label: string, type: TraceEventType, match: Readonly<Record<string, string>>, channel: string): FigureSpec => ({
  kind: 'eventAt',
  type,
  match,
  relativeTo: { type: 'client/messageSent', match: { channel } },
  unit: 'ms',
  label,
});

export const manifest: LabManifest = {
  id: 'message-flow',
  title: 'Message flow: User A to User B',
  summary: text.SUMMARY,
  group: 'diagrams',
  seed: 42,
  pitfalls: [],
  steps: [
    {
      id: 'private-path',
      kind: 'explore',
      title: 'A private message, hop by hop',
      run: FLOW_RUN,
      focus: { kind: 'sequence', messageFigure: 'dmStoredEvent' },
      seekTo: { figure: 'dmShownEvent' },
      narration: text.PRIVATE_PATH,
      watch: text.PRIVATE_WATCH,
      figures: {
        dmStored: sinceSend('stored in the database', 'db/messageStored', { channel: DM }, DM),
        dmPublished: sinceSend('published by the broker', 'broker/published', { topic: DM }, DM),
        dmShown: sinceSend('shown to B', 'client/messageShown', { channel: DM, user: 'u2' }, DM),
        dmAcked: sinceSend('acked to A', 'client/sendAcked', { channel: DM }, DM),
        dmStoredEvent: { kind: 'eventAt', type: 'db/messageStored', match: { channel: DM }, unit: 'ms', label: 'private message stored' },
        dmShownEvent: { kind: 'eventAt', type: 'client/messageShown', match: { channel: DM, user: 'u2' }, unit: 'ms', label: 'private message shown to B' },
      },
      goals: [B_SAW_PRIVATE],
    },
    {
      id: 'persist-or-publish',
      kind: 'predict',
      title: 'Persist or publish first?',
      run: FLOW_RUN,
      focus: { kind: 'sequence', messageFigure: 'groupStoredEvent' },
      seekTo: { figure: 'groupLastShown' },
      narration: text.ORDER_NARRATION,
      question: text.ORDER_QUESTION,
      prediction: {
        kind: 'choice',
        options: [
          { id: 'persist', label: 'The database stores it first', when: [{ figure: 'groupStoredEvent', op: '<', than: { figure: 'groupPublishedEvent' } }] },
          { id: 'publish', label: 'The broker publishes it first', when: [{ figure: 'groupPublishedEvent', op: '<', than: { figure: 'groupStoredEvent' } }] },
          { id: 'same', label: 'Both at the same moment', when: [{ figure: 'groupPublishedEvent', op: '==', than: { figure: 'groupStoredEvent' } }] },
        ],
      },
      explanation: text.ORDER_EXPLANATION,
      figures: {
        groupStored: sinceSend('stored in the database', 'db/messageStored', { channel: GROUP }, GROUP),
        groupPublished: sinceSend('published by the broker', 'broker/published', { topic: GROUP }, GROUP),
        persistToPublish: { kind: 'eventAt', type: 'broker/published', match: { topic: GROUP }, relativeTo: { type: 'db/messageStored', match: { channel: GROUP } }, unit: 'ms', label: 'stored → published' },
        groupStoredEvent: { kind: 'eventAt', type: 'db/messageStored', match: { channel: GROUP }, unit: 'ms', label: 'group message stored' },
        groupPublishedEvent: { kind: 'eventAt', type: 'broker/published', match: { topic: GROUP }, unit: 'ms', label: 'group message published' },
        groupLastShown: { kind: 'eventAt', type: 'client/messageShown', match: { channel: GROUP }, nth: 3, unit: 'ms', label: 'the fourth member shown it' },
      },
      goals: [WENT_THROUGH_BROKER],
    },
    {
      id: 'group-fanout',
      kind: 'explore',
      title: 'Fan-out to every member\u2019s server',
      run: FLOW_RUN,
      focus: { kind: 'sequence', messageFigure: 'groupStoredEvent' },
      seekTo: { figure: 'groupLastShown' },
      narration: text.FANOUT,
      watch: text.FANOUT_WATCH,
      figures: {
        subscribers: { kind: 'eventSum', type: 'broker/published', field: 'subscribers', match: { topic: GROUP }, unit: '', label: 'subscribed servers' },
        recipients: { kind: 'eventSum', type: 'ws/fannedOut', field: 'recipients', match: { channel: GROUP }, unit: 'connections', label: 'connections written' },
        shown: { kind: 'eventCount', type: 'client/messageShown', match: { channel: GROUP }, unit: '', label: 'screens that showed it' },
        groupStoredEvent: { kind: 'eventAt', type: 'db/messageStored', match: { channel: GROUP }, unit: 'ms', label: 'group message stored' },
        groupLastShown: { kind: 'eventAt', type: 'client/messageShown', match: { channel: GROUP }, nth: 3, unit: 'ms', label: 'the fourth member shown it' },
      },
      goals: [GROUP_SHOWN_TO_ALL],
    },
    {
      id: 'presence',
      kind: 'explore',
      title: 'Presence, where it happens',
      run: FLOW_RUN,
      // The private message again, drawn with the connects before it: presence is where they are.
      focus: { kind: 'sequence', messageFigure: 'dmShownEvent', connect: true },
      seekTo: { figure: 'dmShownEvent' },
      narration: text.PRESENCE,
      watch: text.PRESENCE_WATCH,
      figures: {
        statusChanges: { kind: 'eventCount', type: 'presence/statusChanged', unit: '', label: 'presence changes' },
        firstChange: { kind: 'eventAt', type: 'presence/statusChanged', unit: 'ms', label: 'first presence change' },
        lastChange: { kind: 'eventAt', type: 'presence/statusChanged', nth: 3, unit: 'ms', label: 'fourth presence change' },
        presenceRecipients: { kind: 'eventSum', type: 'presence/fannedOut', field: 'recipients', unit: '', label: 'presence recipients' },
        presenceSeen: { kind: 'eventCount', type: 'client/presenceSeen', unit: '', label: 'presence answers' },
        dmShownEvent: { kind: 'eventAt', type: 'client/messageShown', match: { channel: DM, user: 'u2' }, unit: 'ms', label: 'private message shown to B' },
      },
      goals: [PRESENCE_CHANGED],
    },
    {
      id: 'draw-it',
      kind: 'explore',
      title: 'Draw the group message’s path yourself',
      run: FLOW_RUN,
      focus: { kind: 'whiteboard', diagram: 'sequence', flow: 'group' },
      seekTo: 'end',
      narration: text.DRAW,
      watch: text.DRAW_WATCH,
      figures: {
        hops: { kind: 'eventCount', type: 'broker/published', match: { topic: GROUP }, unit: '', label: 'publishes of the group message' },
      },
      goals: [],
    },
    {
      id: 'check-flow',
      kind: 'check',
      title: 'Check the flow on the trace',
      run: FLOW_RUN,
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.CHECK,
      explanation: text.CHECK_EXPLANATION,
      figures: {
        published: { kind: 'eventCount', type: 'broker/published', unit: '', label: 'broker publishes' },
        groupShown: { kind: 'eventCount', type: 'client/messageShown', match: { channel: GROUP }, unit: '', label: 'group message shown' },
        lostFindings: { kind: 'checker', checker: 'lost', unit: '', label: 'lost-message findings' },
      },
      goals: [B_SAW_PRIVATE, GROUP_SHOWN_TO_ALL, WENT_THROUGH_BROKER, NOTHING_LOST],
    },
  ],
};

/** This lab's controls (none: see controls.ts). */
export const controls = CONTROLS;
