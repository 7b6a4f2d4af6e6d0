/**
 * The lab framework's vocabulary: a lab is a manifest of steps, each step names the run it is
 * about (a preset, a seed, a JSON merge patch), what to look at, the figures its narration quotes
 * and the goals that say it is done. Everything here is plain data, so the worker can evaluate a
 * step next to the trace and only the small answer crosses to the page [1].
 *
 * [1] Data and not callbacks: the page names a step by (lab id, step id) and the worker looks the
 *     manifest up in the registry, so nothing but ids, the seed and the student's input crosses
 *     the worker boundary; and a manifest that is data can be checked whole by a test (every
 *     placeholder has a figure, every control path exists in the scenario).
 */
import type { TraceEventType } from '../../sim/index.ts';
import type { FigureSpec } from './figures.ts';
import type { Goal } from './goals.ts';

/** Where a lab sits on the home screen's map (the lab's own sections). */
export type LabGroup = 'concepts' | 'diagrams' | 'decisions' | 'tradeoffs' | 'pitfalls' | 'discussion';

/** The groups in the order the map shows them, with their titles. */
export const LAB_GROUPS: readonly { readonly id: LabGroup; readonly title: string; readonly blurb: string }[] = [
  { id: 'concepts', title: 'Concepts', blurb: 'Protocols, pub/sub, state and guarantees, each seen in a run.' },
  { id: 'diagrams', title: 'Required diagrams', blurb: 'The three diagrams of the whiteboard challenge, drawn from what the cluster did.' },
  { id: 'decisions', title: 'Critical decisions', blurb: 'Each choice compared on the same workload, with the price measured.' },
  { id: 'tradeoffs', title: 'Trade-offs', blurb: 'Latency, consistency and cost as sliders over real run sweeps.' },
  { id: 'pitfalls', title: 'Pitfalls', blurb: 'Common design mistakes, caught by a checker, next to their fix.' },
  { id: 'discussion', title: 'Discussion', blurb: 'Open questions, each with a run to argue from.' },
];

/** A JSON merge patch over a preset (RFC 7396: objects merge, arrays and values replace). */
export type ScenarioPatch = { readonly [key: string]: unknown };

/** The run a step is about: a preset and a patch over it. The seed is the student's (shown, changeable). */
export interface LabRun {
  readonly scenario: string;
  readonly patch?: ScenarioPatch;
}

/** A run with its seed and the final patch (the step's patch with the student's controls applied): one the page can open. */
export interface RunRef {
  readonly scenario: string;
  readonly seed: number;
  /** The JSON merge patch over the preset, or null for the preset itself. */
  readonly patch: ScenarioPatch | null;
}

/** What the diagrams show while a step is open. */
export type Focus =
  /** The sequence diagram of one message (the figure whose evidence names it), or following the latest. */
  | {
      readonly kind: 'sequence';
      readonly messageFigure?: string;
      readonly span?: { readonly channel?: string; readonly spanMs?: number | null; readonly hops?: 'all' | 'client' };
      /** With `messageFigure`: also draw the connects and presence updates that came before the message. */
      readonly connect?: boolean;
    }
  | { readonly kind: 'pubsub' }
  /** The rate-limit timeline of the run, or the lab's worked example. */
  | { readonly kind: 'ratelimit'; readonly source?: 'run' | 'example' }
  | { readonly kind: 'report' }
  /** The student's own diagram checked against the run (the whiteboard check, built separately). */
  | { readonly kind: 'whiteboard'; readonly diagram: 'sequence' | 'component'; readonly flow?: 'private' | 'group' };

/** A table row that states properties, not measurements: one cell of text per column. */
export interface PropertyRow {
  readonly label: string;
  readonly cells: readonly string[];
}

/** Narration: text with `{figureId}` placeholders filled from the step's figures. */
export type NarrationText = string;

/** A control bound to a scenario field: every change is a new, real run. */
export type Control =
  | {
      readonly kind: 'choice';
      readonly id: string;
      readonly label: string;
      /** Dotted path in the scenario (`delivery`, `rateLimit.limiter.algorithm`). */
      readonly path: string;
      readonly options: readonly { readonly value: string | number | boolean; readonly label: string }[];
      readonly initial: string | number | boolean;
    }
  | {
      readonly kind: 'number';
      readonly id: string;
      readonly label: string;
      readonly path: string;
      readonly min: number;
      readonly max: number;
      readonly step: number;
      readonly initial: number;
      readonly unit?: string;
    }
  | {
      /**
       * Request times the student places on a timeline (whole seconds), written into the
       * scenario's script as sends by one user: the rate-limit lab's own traffic.
       */
      readonly kind: 'requestTimes';
      readonly id: string;
      readonly label: string;
      readonly user: string;
      readonly channel: string;
      /** The first request's second is sent at this ms (the client needs time to connect). */
      readonly offsetMs: number;
      readonly maxSeconds: number;
      readonly maxCount: number;
      readonly initial: readonly number[];
    };

/** A value the student gave a control. */
export type ControlValue = string | number | boolean | readonly number[];

/** A condition on the step's figures, for deciding which answer of a prediction the run gave. */
export interface FigureCondition {
  readonly figure: string;
  readonly op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  /** Another figure of the step, or a number. */
  readonly than: { readonly figure: string } | { readonly value: number };
}

/** What the student predicts before the run answers. */
export type Prediction =
  /** One of several options; the run's answer is the first option whose condition holds. */
  | { readonly kind: 'choice'; readonly options: readonly { readonly id: string; readonly label: string; readonly when: readonly FigureCondition[] }[] }
  /** A number; the run's answer is a figure, and a guess within `tolerance` of it counts as right. */
  | { readonly kind: 'number'; readonly figure: string; readonly unit: string; readonly tolerance: number; readonly min: number; readonly max: number }
  /** Allow or deny for each request the student placed (the `requestTimes` control); the limiter answers each. */
  | { readonly kind: 'allowDeny'; readonly control: string };

/**
 * A trade-off slider over a sweep of real runs (ADR 0019): the step's run with one field varied
 * along `values`, each value run with every seed; the page charts `figures` (sweep figure names,
 * `latency.p99Ms`, `transport.lastMileBytesPerPersisted`, …) against the axis with their spread
 * across seeds, and any point opens its exact run.
 */
export interface SweepAxis {
  readonly path: string;
  /** The field's values in order: JSON values (a list or an object needs `valueLabels`). */
  readonly values: readonly unknown[];
  /** Names for the values, in order, shown on the slider, the charts' axis and the table. */
  readonly valueLabels?: readonly string[];
  readonly seeds: readonly number[];
  /** What the slider is about, as its heading. */
  readonly title: string;
  /** Figures charted against the axis (sweep figure names). */
  readonly figures: readonly string[];
  /** The slider's name in the lab's words (`WebSocket servers`); default: the field's path. */
  readonly label?: string;
  /** The figures named in the lab's words, by sweep figure name (default: the names themselves). */
  readonly figureLabels?: Readonly<Record<string, string>>;
  /** More figures for the table at the slider's value (default: the charted ones). */
  readonly tableFigures?: readonly string[];
  /**
   * A second axis, the sweep's second field: each chart draws one line per value (a legend names
   * them) and the table one block per value, all at the slider's value. `labels` name the values
   * for a reader (`no broker`), in order; the raw value is shown beside them.
   */
  readonly series?: SweepSeries;
}

/** The second axis of a lab's trade-off slider (see {@link SweepAxis.series}). */
export interface SweepSeries {
  readonly path: string;
  readonly values: readonly (string | number | boolean)[];
  readonly labels?: readonly string[];
}

interface StepBase {
  readonly id: string;
  readonly title: string;
  readonly run: LabRun;
  readonly focus: Focus;
  /** Shown before the run answers (for predict, before the student commits). */
  readonly narration: NarrationText;
  /** Figures the narration and the explanation quote, by id; each may name another run. */
  readonly figures: Readonly<Record<string, FigureSpec>>;
  /** Goals evaluated next to the trace at the run's end; the step is done when all are met. */
  readonly goals: readonly Goal[];
  /** Where the playhead goes when the step's run opens: a figure's moment, or the run's end. */
  readonly seekTo?: { readonly figure: string } | 'end';
  /** What to watch, as short imperative lines (`Watch the persist arrow…`). */
  readonly watch?: readonly string[];
  /** Event types the timeline should point at while the step is open. */
  readonly marks?: readonly TraceEventType[];
}

/** A scenario runs, a diagram is in focus, the narration points at what to watch. */
export interface ExploreStep extends StepBase {
  readonly kind: 'explore';
}

/** The student commits a prediction; then the run answers and the explanation quotes it. */
export interface PredictStep extends StepBase {
  readonly kind: 'predict';
  readonly question: string;
  readonly prediction: Prediction;
  /** Shown once the run answered, with the measured figures filled in. */
  readonly explanation: NarrationText;
  readonly controls?: readonly Control[];
}

/** Controls bound to scenario fields; every change is a real run. */
export interface ExperimentStep extends StepBase {
  readonly kind: 'experiment';
  readonly controls: readonly Control[];
  /** Shown after each run, with its figures. */
  readonly explanation: NarrationText;
  /** Figures shown side by side as a table after each run (rows of figure ids). */
  readonly table?: {
    readonly caption: string;
    readonly columns: readonly string[];
    readonly rows: readonly { readonly label: string; readonly figures: readonly string[] }[];
    /** Rows of the lab's own words about what is not a measurement (a protocol's browser support), shown first and marked as such. */
    readonly properties?: readonly PropertyRow[];
  };
  /** Later: a trade-off slider over a sweep of runs along this axis. */
  readonly sweep?: SweepAxis;
}

/** A goal evaluated in the worker on the trace: the checker fires, a figure is under a bound. */
export interface CheckStep extends StepBase {
  readonly kind: 'check';
  readonly explanation: NarrationText;
}

export type LabStep = ExploreStep | PredictStep | ExperimentStep | CheckStep;
export type StepKind = LabStep['kind'];

/** A design mistake the lab shows, with the checker that catches it and the fix that silences it. */
export interface Pitfall {
  readonly id: string;
  readonly title: string;
  readonly checker: string;
  readonly broken: LabRun;
  readonly fixed: LabRun;
  /** Seeds the lab's test runs both on. */
  readonly seeds: readonly number[];
}

/** A lab: what the home screen lists and the panel walks through. */
export interface LabManifest {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly group: LabGroup;
  /** The seed every step starts with (the student may change it). */
  readonly seed: number;
  readonly steps: readonly LabStep[];
  readonly pitfalls: readonly Pitfall[];
}

/** A lab the map shows but this build does not have yet. */
export interface ComingLab {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly group: LabGroup;
}
