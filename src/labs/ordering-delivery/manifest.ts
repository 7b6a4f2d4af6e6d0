/**
 * Lab: ordering and delivery guarantees (critical decision 3). The pair of sequence diagrams from
 * the same seed (no handling → out of order; sequence numbers and a reorder buffer → in order),
 * at-most-once against at-least-once with dedup under a server crash, and the price of each
 * measured on the runs.
 */
import type { FigureSpec, LabManifest } from '../framework/index.ts';
import { CONTROLS, DELIVERY } from './controls.ts';
import { DUPLICATES_CHECKER_SILENT, LOST_CHECKER_SILENT, NOTHING_LOST, NOTHING_TWICE, ORDER_BREAKS, ORDER_HOLDS, SOME_LOST } from './goals.ts';
import * as text from './narration.ts';
import { AT_LEAST_ONCE, AT_MOST_ONCE, ORDERED, UNORDERED } from './patches.ts';

const GROUP_WINDOW = { kind: 'sequence', span: { channel: 'g1', spanMs: 2_000, hops: 'client' } } as const;

/** The same figure read from each crash run, for the side-by-side table. */
const both = (id: string, spec: FigureSpec): Record<string, FigureSpec> => ({
  [`${id}-most`]: { ...spec, run: AT_MOST_ONCE },
  [`${id}-least`]: { ...spec, run: AT_LEAST_ONCE },
});

export const manifest: LabManifest = {
  id: 'ordering-delivery',
  title: 'Decision: ordering and delivery guarantees',
  summary: text.SUMMARY,
  group: 'decisions',
  seed: 42,
  pitfalls: [
    { id: 'no-sequence', title: 'No sequence numbers: members see the group in different orders', checker: 'ordering', broken: UNORDERED, fixed: ORDERED, seeds: [1, 2, 3, 4, 5] },
    { id: 'fire-and-forget', title: 'Fire and forget: a crash loses messages', checker: 'lost', broken: AT_MOST_ONCE, fixed: AT_LEAST_ONCE, seeds: [1, 2, 3, 4, 5] },
  ],
  steps: [
    {
      id: 'out-of-order',
      kind: 'explore',
      title: 'No handling: out of order',
      run: UNORDERED,
      focus: GROUP_WINDOW,
      seekTo: { figure: 'firstFinding' },
      narration: text.UNORDERED,
      watch: text.UNORDERED_WATCH,
      figures: {
        outOfOrder: { kind: 'metric', metric: 'counts.outOfOrderShown', unit: '', label: 'shown out of order' },
        firstFinding: { kind: 'checker', checker: 'ordering', measure: 'firstAt', unit: 'ms', label: 'first ordering finding' },
      },
      goals: [ORDER_BREAKS],
    },
    {
      id: 'sequence-numbers',
      kind: 'predict',
      title: 'Sequence numbers and a reorder buffer',
      run: ORDERED,
      focus: GROUP_WINDOW,
      seekTo: 'end',
      narration: text.FIX_NARRATION,
      question: text.FIX_QUESTION,
      prediction: {
        kind: 'choice',
        options: [
          { id: 'none', label: 'None', when: [{ figure: 'outOfOrderWith', op: '==', than: { value: 0 } }] },
          { id: 'fewer', label: 'Fewer than before, but some', when: [{ figure: 'outOfOrderWith', op: '>', than: { value: 0 } }, { figure: 'outOfOrderWith', op: '<', than: { figure: 'outOfOrderWithout' } }] },
          { id: 'same', label: 'About as many: the network still reorders', when: [{ figure: 'outOfOrderWith', op: '>=', than: { figure: 'outOfOrderWithout' } }] },
        ],
      },
      explanation: text.FIX_EXPLANATION,
      figures: {
        outOfOrderWith: { kind: 'metric', metric: 'counts.outOfOrderShown', unit: '', label: 'out of order, with' },
        outOfOrderWithout: { kind: 'metric', metric: 'counts.outOfOrderShown', unit: '', label: 'out of order, without', run: UNORDERED },
        p50With: { kind: 'metric', metric: 'latencyMs.p50', unit: 'ms', label: 'p50 with the buffer' },
        p50Without: { kind: 'metric', metric: 'latencyMs.p50', unit: 'ms', label: 'p50 without', run: UNORDERED },
        p99With: { kind: 'metric', metric: 'latencyMs.p99', unit: 'ms', label: 'p99 with the buffer' },
        p99Without: { kind: 'metric', metric: 'latencyMs.p99', unit: 'ms', label: 'p99 without', run: UNORDERED },
        reorderTimeouts: { kind: 'eventCount', type: 'client/reorderTimedOut', unit: '', label: 'buffer timeouts' },
        senderOrderWith: { kind: 'metric', metric: 'counts.senderOrderBroken', unit: '', label: 'shown out of their sender\u2019s order, with' },
      },
      goals: [ORDER_HOLDS],
    },
    {
      id: 'crash-loses',
      kind: 'predict',
      title: 'A crash, at most once',
      run: AT_MOST_ONCE,
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.CRASH_NARRATION,
      question: text.CRASH_QUESTION,
      prediction: { kind: 'number', figure: 'lost', unit: 'messages', tolerance: 2, min: 0, max: 200 },
      explanation: text.CRASH_EXPLANATION,
      figures: {
        lost: { kind: 'metric', metric: 'counts.lost', unit: 'messages', label: 'lost' },
        firstLost: { kind: 'checker', checker: 'lost', measure: 'firstAt', unit: 'ms', label: 'first lost-message finding' },
      },
      goals: [SOME_LOST],
    },
    {
      id: 'choose-guarantee',
      kind: 'experiment',
      title: 'Choose the guarantee',
      run: AT_MOST_ONCE,
      controls: [DELIVERY],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.DELIVERY_NARRATION,
      explanation: text.DELIVERY_EXPLANATION,
      figures: {
        lost: { kind: 'metric', metric: 'counts.lost', unit: '', label: 'lost' },
        duplicates: { kind: 'metric', metric: 'counts.duplicatesShown', unit: '', label: 'shown twice' },
        retries: { kind: 'eventCount', type: 'client/messageRetried', unit: '', label: 'retries' },
        historyFetches: { kind: 'eventCount', type: 'client/historyRequested', unit: '', label: 'history fetches' },
        perStored: { kind: 'metric', metric: 'messagesPerPersisted', unit: '', label: 'network messages per stored message' },
        ...both('lost', { kind: 'metric', metric: 'counts.lost', unit: '', label: 'lost' }),
        ...both('dup', { kind: 'metric', metric: 'counts.duplicatesShown', unit: '', label: 'shown twice' }),
        ...both('retries', { kind: 'eventCount', type: 'client/messageRetried', unit: '', label: 'retries' }),
        ...both('per', { kind: 'metric', metric: 'messagesPerPersisted', unit: '', label: 'messages per stored message' }),
        ...both('p99', { kind: 'metric', metric: 'latencyMs.p99', unit: 'ms', label: 'p99 delivery' }),
      },
      table: {
        caption: 'The two guarantees under the same crash and seed',
        columns: ['at most once', 'at least once + dedup'],
        rows: [
          { label: 'lost', figures: ['lost-most', 'lost-least'] },
          { label: 'shown twice', figures: ['dup-most', 'dup-least'] },
          { label: 'retries', figures: ['retries-most', 'retries-least'] },
          { label: 'network messages per stored message', figures: ['per-most', 'per-least'] },
          { label: 'p99 delivery', figures: ['p99-most', 'p99-least'] },
        ],
      },
      goals: [NOTHING_LOST, NOTHING_TWICE],
    },
    {
      id: 'guarantees-hold',
      kind: 'check',
      title: 'Check: nothing lost, nothing twice',
      run: AT_LEAST_ONCE,
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.GUARANTEES,
      explanation: text.GUARANTEES_EXPLANATION,
      figures: {
        lostFindings: { kind: 'checker', checker: 'lost', unit: '', label: 'lost-message findings' },
        duplicateFindings: { kind: 'checker', checker: 'duplicates', unit: '', label: 'duplicate findings' },
        dropped: { kind: 'eventCount', type: 'client/duplicateDropped', unit: '', label: 'copies dropped' },
      },
      goals: [LOST_CHECKER_SILENT, DUPLICATES_CHECKER_SILENT, NOTHING_LOST],
    },
  ],
};

/** This lab's controls. */
export const controls = CONTROLS;
