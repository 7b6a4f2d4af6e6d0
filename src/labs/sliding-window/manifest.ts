/**
 * Lab: the sliding window (required diagram 3). The lab's worked example exactly, the student's
 * own requests predicted one by one before the simulator's limiter judges them, and the log
 * against the counter (and every other algorithm) on the same traffic with the error measured.
 */
import { LIMITER_ALGORITHMS } from '../../sim/index.ts';
import type { FigureSpec, LabManifest, ReplayMeasure } from '../framework/index.ts';
import { ALGORITHM, CONTROLS, REQUESTS } from './controls.ts';
import { BOUND_HOLDS, JUDGED, ONE_REFUSED, OVER_THE_LIMIT, SOME_REFUSED } from './goals.ts';
import * as text from './narration.ts';
import { BURSTY, OWN_REQUESTS, WORKED_EXAMPLE } from './patches.ts';

const U1 = { key: 'user:u1' } as const;
const MEASURES: readonly { readonly measure: ReplayMeasure; readonly label: string }[] = [
  { measure: 'allowed', label: 'allowed' },
  { measure: 'rejected', label: 'refused' },
  { measure: 'overAdmitted', label: 'over-admitted' },
  { measure: 'underAdmitted', label: 'under-admitted' },
  { measure: 'worstWindow', label: 'most in one window' },
];

/** One figure per algorithm and measure, for the side-by-side table: `replay:<algorithm>:<measure>`. */
const replayFigures: Record<string, FigureSpec> = Object.fromEntries(
  LIMITER_ALGORITHMS.flatMap((algorithm) => MEASURES.map(({ measure, label }) => [`replay-${algorithm}-${measure}`, { kind: 'limiterReplay', algorithm, measure, unit: '', label: `${algorithm}: ${label}` } satisfies FigureSpec])),
);

const decisions = {
  allowed: { kind: 'eventCount', type: 'limiter/allowed', match: U1, unit: '', label: 'allowed' },
  refused: { kind: 'eventCount', type: 'limiter/rejected', match: U1, unit: '', label: 'refused' },
} as const satisfies Record<string, FigureSpec>;

export const manifest: LabManifest = {
  id: 'sliding-window',
  title: 'The sliding window',
  summary: text.SUMMARY,
  group: 'diagrams',
  seed: 42,
  pitfalls: [],
  steps: [
    {
      id: 'worked-example',
      kind: 'explore',
      title: 'The lab\u2019s example, run',
      run: WORKED_EXAMPLE,
      focus: { kind: 'ratelimit', source: 'run' },
      seekTo: { figure: 'readmittedEvent' },
      narration: text.EXAMPLE,
      watch: text.EXAMPLE_WATCH,
      figures: {
        ...decisions,
        refusedAt: { kind: 'eventAt', type: 'limiter/rejected', match: U1, relativeTo: { type: 'limiter/allowed', match: U1 }, unit: 's', scale: 0.001, label: 'refused at' },
        readmittedAt: { kind: 'eventAt', type: 'limiter/allowed', match: U1, nth: 5, relativeTo: { type: 'limiter/allowed', match: U1 }, unit: 's', scale: 0.001, label: 'allowed again at' },
        readmittedEvent: { kind: 'eventAt', type: 'limiter/allowed', match: U1, nth: 5, unit: 'ms', label: 'the request at 65 s' },
      },
      goals: [ONE_REFUSED],
    },
    {
      id: 'your-requests',
      kind: 'predict',
      title: 'Your requests, your predictions',
      run: OWN_REQUESTS,
      controls: [REQUESTS],
      focus: { kind: 'ratelimit', source: 'run' },
      seekTo: 'end',
      narration: text.OWN_NARRATION,
      question: text.OWN_QUESTION,
      prediction: { kind: 'allowDeny', control: 'requests' },
      explanation: text.OWN_EXPLANATION,
      figures: decisions,
      goals: [JUDGED],
    },
    {
      id: 'log-vs-counter',
      kind: 'experiment',
      title: 'Log against counter, and all the others',
      run: BURSTY,
      controls: [ALGORITHM],
      focus: { kind: 'ratelimit', source: 'run' },
      seekTo: 'end',
      narration: text.COMPARE,
      explanation: text.COMPARE_EXPLANATION,
      figures: {
        refused: { kind: 'metric', metric: 'counts.rateLimited', unit: '', label: 'refused' },
        admitted: { kind: 'eventCount', type: 'limiter/allowed', unit: '', label: 'allowed' },
        worstWindow: { kind: 'limiterReplay', algorithm: 'run', measure: 'worstWindow', unit: '', label: 'most in one window' },
        counterOver: { kind: 'limiterReplay', algorithm: 'sliding-counter', measure: 'overAdmitted', unit: '', label: 'counter over-admitted' },
        counterUnder: { kind: 'limiterReplay', algorithm: 'sliding-counter', measure: 'underAdmitted', unit: '', label: 'counter under-admitted' },
        ...replayFigures,
      },
      table: {
        caption: 'Every algorithm on this run\u2019s requests (limit 5 per 60 s per user)',
        columns: MEASURES.map((m) => m.label),
        rows: LIMITER_ALGORITHMS.map((a) => ({ label: a, figures: MEASURES.map((m) => `replay-${a}-${m.measure}`) })),
      },
      goals: [OVER_THE_LIMIT],
    },
    {
      id: 'the-bound-holds',
      kind: 'check',
      title: 'The exact log keeps its promise',
      run: { ...BURSTY, patch: { ...BURSTY.patch, rateLimit: { limiter: { algorithm: 'sliding-log' } } } },
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.BOUND,
      explanation: text.BOUND_EXPLANATION,
      figures: {
        refused: { kind: 'metric', metric: 'counts.rateLimited', unit: '', label: 'refused' },
        worstWindow: { kind: 'limiterReplay', algorithm: 'run', measure: 'worstWindow', unit: '', label: 'most in one window' },
        findings: { kind: 'checker', checker: 'rate-limit', unit: '', label: 'bound findings' },
      },
      goals: [BOUND_HOLDS, SOME_REFUSED],
    },
  ],
};

/** This lab's controls. */
export const controls = CONTROLS;
