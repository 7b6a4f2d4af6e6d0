/**
 * Presentation mode's channel protocol (ADR 0028): what the presenter's window and the audience's
 * windows say to each other over a BroadcastChannel, and the pure rule by which an audience turns
 * the presenter's latest state into what it applies. No DOM here beyond the types: the rule is
 * unit-tested on its own.
 *
 * The presenter owns the truth. It says `state` whenever what it shows changes (a new moment, the
 * playhead, play/pause, speed, the view), `beat` every few seconds so an audience knows it is
 * there, and `bye` when its window goes. An audience says `hello` when it opens (the presenter
 * answers with `state`) and forwards the clicker's keys as `key`.
 */
import type { LinkDiagram, LinkState } from '../link/state.ts';
import { isRecord } from '../record.ts';

/** The protocol's version: a message of another version is ignored. */
export const PROTOCOL_VERSION = 1;

/** The BroadcastChannel's name for a presentation: one channel per presentation id. */
export const channelName = (id: string): string => `switchboard-present:${id}`;

/** A presentation id: short, URL-safe. */
export const PRESENTATION_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** How far (virtual ms) a playing audience may drift from the presenter's playhead before it seeks. */
export const DRIFT_MS = 1_500;
/** How often the presenter says it is there (wall ms), and how long its silence means it has gone. */
export const BEAT_MS = 2_000;
export const SILENCE_MS = 7_000;

/** What the presenter shows: the run (as a link's code and its identity) and the view on it. */
export interface SyncState {
  /** Which presenter state this is (grows with every state the presenter says). */
  readonly serial: number;
  /** The run's identity (lab, step, scenario, seed, patch, interventions): a new key is a new run to open. */
  readonly runKey: string;
  /** The whole state as a link's code (`?s=`), what an audience opens when the run changed. */
  readonly code: string;
  readonly nowMs: number;
  readonly playing: boolean;
  readonly speed: number;
  readonly diagram: LinkDiagram;
  readonly message: string | null;
  readonly rateLimitKey: string | null;
  readonly theme: 'light' | 'dark' | null;
  /** The lesson's moment shown, when the presenter follows a lesson. */
  readonly moment: { readonly index: number; readonly count: number; readonly title: string } | null;
}

export type PresentMessage =
  | { readonly v: 1; readonly kind: 'state'; readonly state: SyncState }
  | { readonly v: 1; readonly kind: 'hello' }
  | { readonly v: 1; readonly kind: 'beat' }
  | { readonly v: 1; readonly kind: 'bye' }
  | { readonly v: 1; readonly kind: 'key'; readonly dir: 'next' | 'prev' };

/** The run's identity of a link state: what must match for two windows to show the same run. */
export function runKeyOf(state: Pick<LinkState, 'lab' | 'scenario' | 'seed' | 'patch' | 'interventions'>): string {
  return JSON.stringify([state.lab, state.scenario, state.seed, state.patch, state.interventions]);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const DIAGRAMS: readonly string[] = ['sequence', 'pubsub', 'ratelimit'];

/**
 * A message received on the channel, or null when it is not one of this protocol's (another
 * version, another app, damaged). Never throws.
 */
export function parseMessage(data: unknown): PresentMessage | null {
  if (!isRecord(data) || data['v'] !== PROTOCOL_VERSION) return null;
  switch (data['kind']) {
    case 'hello':
    case 'beat':
    case 'bye':
      return { v: 1, kind: data['kind'] };
    case 'key':
      return data['dir'] === 'next' || data['dir'] === 'prev' ? { v: 1, kind: 'key', dir: data['dir'] } : null;
    case 'state': {
      const s = data['state'];
      if (!isRecord(s)) return null;
      const m = s['moment'];
      const momentOk = m === null || (isRecord(m) && isNumber(m['index']) && isNumber(m['count']) && typeof m['title'] === 'string');
      const ok =
        isNumber(s['serial']) &&
        typeof s['runKey'] === 'string' &&
        typeof s['code'] === 'string' &&
        isNumber(s['nowMs']) &&
        s['nowMs'] >= 0 &&
        typeof s['playing'] === 'boolean' &&
        isNumber(s['speed']) &&
        s['speed'] > 0 &&
        typeof s['diagram'] === 'string' &&
        DIAGRAMS.includes(s['diagram']) &&
        isStringOrNull(s['message']) &&
        isStringOrNull(s['rateLimitKey']) &&
        (s['theme'] === null || s['theme'] === 'light' || s['theme'] === 'dark') &&
        momentOk;
      return ok ? { v: 1, kind: 'state', state: s as unknown as SyncState } : null;
    }
    default:
      return null;
  }
}

/** What the audience's own workbench shows now (null while no run is open). */
export interface LocalView {
  readonly runKey: string;
  /** The run has loaded and takes commands (not loading, not failed). */
  readonly ready: boolean;
  readonly nowMs: number;
  readonly playing: boolean;
  readonly speed: number;
  readonly diagram: LinkDiagram;
  readonly message: string | null;
  readonly rateLimitKey: string | null;
  readonly theme: 'light' | 'dark';
}

/** One thing the audience does to follow the presenter. */
export type Effect =
  | { readonly kind: 'open'; readonly code: string; readonly runKey: string }
  | { readonly kind: 'speed'; readonly speed: number }
  | { readonly kind: 'diagram'; readonly diagram: LinkDiagram }
  | { readonly kind: 'message'; readonly message: string | null }
  | { readonly kind: 'rateLimitKey'; readonly key: string | null }
  | { readonly kind: 'theme'; readonly theme: 'light' | 'dark' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'seek'; readonly toMs: number }
  | { readonly kind: 'play' };

/**
 * What an audience does to show what the presenter shows. A different run (or none yet) is opened
 * from the presenter's link; within the same run the view, the speed and play/pause are set, and
 * the playhead is moved: exactly when the presenter is paused, only past `DRIFT_MS` of drift while
 * both play (two windows playing the same deterministic run stay close on their own). Nothing is
 * done while the audience's own run is still loading: the caller asks again when it is ready.
 *
 * @example
 * effectsFor(remote, null); // [{ kind: 'open', code: remote.code, runKey: remote.runKey }]
 */
export function effectsFor(remote: SyncState, local: LocalView | null): Effect[] {
  if (local === null || local.runKey !== remote.runKey) return [{ kind: 'open', code: remote.code, runKey: remote.runKey }];
  if (!local.ready) return [];
  const out: Effect[] = [];
  if (remote.theme !== null && remote.theme !== local.theme) out.push({ kind: 'theme', theme: remote.theme });
  if (remote.speed !== local.speed) out.push({ kind: 'speed', speed: remote.speed });
  if (remote.diagram !== local.diagram) out.push({ kind: 'diagram', diagram: remote.diagram });
  if (remote.message !== local.message) out.push({ kind: 'message', message: remote.message });
  if (remote.rateLimitKey !== local.rateLimitKey) out.push({ kind: 'rateLimitKey', key: remote.rateLimitKey });
  if (!remote.playing) {
    if (local.playing) out.push({ kind: 'pause' });
    if (local.nowMs !== remote.nowMs) out.push({ kind: 'seek', toMs: remote.nowMs });
  } else {
    if (Math.abs(local.nowMs - remote.nowMs) > DRIFT_MS) out.push({ kind: 'seek', toMs: remote.nowMs });
    if (!local.playing) out.push({ kind: 'play' });
  }
  return out;
}

/** Whether the presenter is there, as an audience knows it. */
export type Presence = 'waiting' | 'here' | 'gone';

/**
 * The audience's knowledge of the presenter after a message (or a tick of the clock with no
 * message, `null`): `bye` or `SILENCE_MS` without a word (also before the first) means gone; any
 * word from the presenter means here.
 */
export function presenceAfter(presence: Presence, message: PresentMessage | null, silentMs: number): Presence {
  if (message === null) return presence !== 'gone' && silentMs > SILENCE_MS ? 'gone' : presence;
  if (message.kind === 'bye') return 'gone';
  if (message.kind === 'state' || message.kind === 'beat') return 'here';
  return presence;
}

/** Who owns a key press besides the presentation: a text field (every key), a widget that uses arrows (tabs, sliders, rows), or nobody. */
export type KeyOwner = 'text' | 'widget' | null;

/**
 * What a key press means to a presentation: the next or previous moment, or nothing. A clicker
 * sends PageDown/PageUp (some send the arrows); a modified key (Shift+→ seeks) stays the workbench's.
 */
export function clickerAction(key: { key: string; shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }, owner: KeyOwner): 'next' | 'prev' | null {
  if (owner === 'text' || key.ctrlKey || key.metaKey || key.altKey || key.shiftKey) return null;
  const arrow = key.key === 'ArrowRight' || key.key === 'ArrowLeft';
  if (arrow && owner === 'widget') return null;
  if (key.key === 'PageDown' || key.key === 'ArrowRight') return 'next';
  if (key.key === 'PageUp' || key.key === 'ArrowLeft') return 'prev';
  return null;
}
