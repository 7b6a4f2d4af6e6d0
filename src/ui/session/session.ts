/**
 * The session: the app's handle on one simulation client and the store its answers land in. The
 * playback machine's actors and the panels call it; it decides only what to *ask* (the pub/sub
 * graph a few times a second while the diagram is visible, the traffic of every frame) and never
 * what happened.
 */
import type { Op } from '../../sim/index.ts';
import type { EdgeFlow, PubsubGraph } from '../../diagrams/index.ts';
import type { SimClient, RuntimeKind } from '../runtime/simClient.ts';
import type { Frame, FrameWant, Intervention, RunSummary, ScenarioEntry, ScriptedFault, TopologyInfo } from '../../workbench/index.ts';
import { createStore, type Store } from './store.ts';

/** Traffic of one frame, numbered so the animation knows a new batch from an old one. */
export interface FlowBatch {
  readonly serial: number;
  readonly flows: readonly EdgeFlow[];
  readonly windowMs: readonly [number, number];
}

/** Where a run stood, to go on with it on another client (after a worker failed). */
export interface Resume {
  readonly interventions: readonly { readonly at: number; readonly op: Op }[];
  readonly nowMs: number;
}

/** A short message for the person (an error, the end of the scenario). */
export interface Notice {
  readonly kind: 'info' | 'error';
  readonly text: string;
}

export interface SessionState {
  readonly runtime: RuntimeKind;
  readonly scenarios: readonly ScenarioEntry[];
  readonly scenario: ScenarioEntry | null;
  readonly topology: TopologyInfo | null;
  readonly summary: RunSummary | null;
  readonly graph: PubsubGraph | null;
  readonly flows: FlowBatch | null;
  readonly interventions: readonly Intervention[];
  /** The scenario's own fault script (applied whatever the person does). */
  readonly scripted: readonly ScriptedFault[];
  /** Counts every change of the run, so views know when to ask again. */
  readonly revision: number;
  /** Counts loads, so views can drop what belonged to the previous run. */
  readonly runId: number;
  readonly notice: Notice | null;
  /** The name of the trace file being browsed read-only, or null for a run of a scenario. */
  readonly traceFile: string | null;
}

/** How often the graph is rebuilt while playing (it walks the whole trace), in wall ms. */
export const GRAPH_EVERY_MS = 200;

const wallNow = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

export class Session {
  readonly store: Store<SessionState>;
  private graphVisible = true;
  private lastGraphAt = -Infinity;
  private flowSerial = 0;

  constructor(readonly client: SimClient) {
    this.store = createStore<SessionState>({
      runtime: client.runtime,
      scenarios: [],
      scenario: null,
      topology: null,
      summary: null,
      graph: null,
      flows: null,
      interventions: [],
      scripted: [],
      revision: 0,
      runId: 0,
      notice: null,
      traceFile: null,
    });
  }

  /** Whether the pub/sub diagram is on screen; when it is not, frames skip the graph and flows. */
  setGraphVisible(visible: boolean): void {
    const was = this.graphVisible;
    this.graphVisible = visible;
    if (visible && !was && this.store.get().summary !== null) void this.refresh().catch(() => undefined);
  }

  /** Loads the scenario list. */
  async init(): Promise<readonly ScenarioEntry[]> {
    const scenarios = await this.client.catalog();
    this.store.set({ scenarios });
    return scenarios;
  }

  /**
   * Loads a run; with `resume`, replays the person's interventions at their times and moves to
   * the playhead they had (going on after a failed worker: the same run, byte for byte).
   */
  async open(scenario: string, seed: number, resume?: Resume, patch?: unknown): Promise<void> {
    if (this.store.get().scenarios.length === 0) await this.init();
    const opened = await this.client.open(scenario, seed, resume === undefined ? this.want(true) : {}, patch);
    let frame = opened.frame;
    const skipped: string[] = [];
    if (resume !== undefined) {
      // Each verb lands where it did: moving to its time runs the events before it, and a verb
      // applied then goes before the events of that millisecond, as it did the first time. A verb
      // this run refuses (a link written for another version of the scenario) is left out and
      // named; the others still apply.
      for (const iv of resume.interventions) {
        await this.client.seekTo(iv.at);
        try {
          await this.client.operate(iv.op);
        } catch (error) {
          skipped.push(`${iv.op.verb} at ${(iv.at / 1000).toFixed(3)} s (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      frame = await this.client.seekTo(resume.nowMs, this.want(true));
    }
    const s = this.store.get();
    const notice: Notice | null = skipped.length === 0 ? null : { kind: 'error', text: `${skipped.length === 1 ? 'One intervention was' : `${skipped.length} interventions were`} not applied, the rest of the run was: ${skipped.join('; ')}.` };
    this.store.set({ scenario: opened.scenario, topology: opened.topology, scripted: opened.scripted, flows: null, runId: s.runId + 1, notice, traceFile: null });
    this.apply(frame);
  }

  /**
   * Opens a trace file to browse it read-only (the workbench's `openTrace`). A file that is not a
   * valid trace leaves the run on screen, and the notice says what is wrong, naming the line.
   */
  async openTrace(text: string, name: string): Promise<boolean> {
    try {
      if (this.store.get().scenarios.length === 0) await this.init();
      const opened = await this.client.openTrace(text, name, this.want(true));
      const s = this.store.get();
      const count = opened.events.toLocaleString('en-US');
      this.store.set({
        scenario: { id: name, summary: `A trace file of ${count} events, browsed read-only`, description: '', endMs: opened.endMs, rateLimited: true },
        topology: opened.topology,
        scripted: [],
        flows: null,
        runId: s.runId + 1,
        traceFile: name,
        notice: { kind: 'info', text: `Browsing ${name}: ${count} events read from a file, without re-running. Nothing can be changed, and there is no report (a file carries no scenario to judge by). Pick a scenario to run one.` },
      });
      this.apply(opened.frame);
      return true;
    } catch (error) {
      this.store.set({ notice: { kind: 'error', text: `The trace file was not opened. ${error instanceof Error ? error.message : String(error)}` } });
      return false;
    }
  }

  /** Plays `ms` forward; stops at the scenario's end and says so. */
  async advance(ms: number): Promise<{ atEnd: boolean }> {
    const summary = this.store.get().summary;
    if (summary !== null && (summary.endMs === null || summary.nowMs !== summary.endMs)) this.clearInfo();
    let run = ms;
    let atEnd = false;
    if (summary !== null && summary.endMs !== null && summary.nowMs < summary.endMs && summary.nowMs + ms >= summary.endMs) {
      run = summary.endMs - summary.nowMs;
      atEnd = true;
    }
    const frame = await this.client.advance(run, this.want(false));
    this.apply(frame);
    if (atEnd) this.store.set({ notice: { kind: 'info', text: `The scenario's workload and settle time are over (${frame.summary.nowMs / 1000} s). Press Play to keep watching the idle cluster.` } });
    return { atEnd };
  }

  async stepEvent(): Promise<void> {
    this.clearInfo();
    this.apply(await this.client.stepEvent(this.want(true)));
  }

  async seekTo(ms: number): Promise<void> {
    this.clearInfo();
    this.apply(await this.client.seekTo(ms, this.want(true)));
  }

  /** An informational notice (the end of the scenario) goes as soon as the person moves on. */
  private clearInfo(): void {
    if (this.store.get().notice?.kind === 'info') this.store.set({ notice: null });
  }

  async operate(op: Op): Promise<void> {
    await this.guard(async () => this.apply(await this.client.operate(op, this.want(true))));
  }

  async sendAs(user: string, channel: string, text: string): Promise<void> {
    await this.guard(async () => this.apply(await this.client.sendAs(user, channel, text, this.want(true))));
  }

  async membershipAs(user: string, channel: string, action: 'join' | 'leave'): Promise<void> {
    await this.guard(async () => this.apply(await this.client.membershipAs(user, channel, action, this.want(true))));
  }

  async forget(id: number): Promise<void> {
    await this.guard(async () => this.apply(await this.client.forget(id, this.want(true))));
  }

  /** Fetches the present again (the graph included). */
  async refresh(): Promise<void> {
    this.apply(await this.client.current(this.want(true)));
  }

  dismissNotice(): void {
    this.store.set({ notice: null });
  }

  /** Shows an error from a call the playback machine does not own (a fault button, a send). */
  private async guard(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.store.set({ notice: { kind: 'error', text: error instanceof Error ? error.message : String(error) } });
    }
  }

  private want(always: boolean): FrameWant {
    if (!this.graphVisible) return {};
    const now = wallNow();
    const graph = always || now - this.lastGraphAt >= GRAPH_EVERY_MS;
    if (graph) this.lastGraphAt = now;
    return { graph, flows: true };
  }

  private apply(frame: Frame): void {
    const s = this.store.get();
    this.store.set({
      summary: frame.summary,
      graph: frame.graph ?? s.graph,
      flows: frame.flows === null ? s.flows : { serial: ++this.flowSerial, flows: frame.flows, windowMs: frame.flowWindowMs },
      interventions: frame.interventions,
      revision: s.revision + 1,
    });
  }
}
