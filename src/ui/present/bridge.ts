/**
 * How presentation mode (ADR 0028) watches and drives a workbench without living inside it: the
 * workbench attaches its controls to a bridge given as a prop, and says when what it shows
 * changed. The App imports only these types, so the page's first load carries none of the mode.
 */
import type { LinkDiagram, LinkState } from '../link/state.ts';

/** What a workbench shows, read when asked. */
export interface WorkbenchSnapshot {
  /** The state on screen as a link (null before the run loads or for a trace file). */
  readonly link: LinkState | null;
  readonly status: 'loading' | 'paused' | 'playing' | 'stepping' | 'seeking' | 'failed';
  readonly speed: number;
  readonly theme: 'light' | 'dark';
  readonly traceHash: string | null;
  /** The lab step's title, in a lab. */
  readonly labStep: string | null;
}

/** What a workbench lets a presentation do to it. */
export interface WorkbenchControls {
  snapshot(): WorkbenchSnapshot;
  /** Calls `listener` when the playhead or the run moved (the session's store changed). */
  subscribe(listener: () => void): () => void;
  play(): void;
  pause(): void;
  seek(toMs: number): void;
  setSpeed(speed: number): void;
  setDiagram(diagram: LinkDiagram): void;
  setMessage(messageId: string | null): void;
  setRateLimitKey(key: string | null): void;
  toggleTheme(): void;
}

/** The prop a workbench attaches to. */
export interface WorkbenchBridge {
  /** Called once the workbench is up; the returned function detaches it. */
  attach(controls: WorkbenchControls): () => void;
  /** Called when the view, the playback or the run changed (not per frame: `subscribe` covers the playhead). */
  changed(): void;
}

/** A bridge that keeps the attached controls and calls `onChange` for every change either way. */
export function createBridge(onChange: () => void): WorkbenchBridge & { controls(): WorkbenchControls | null } {
  let attached: WorkbenchControls | null = null;
  return {
    attach(controls) {
      attached = controls;
      const off = controls.subscribe(onChange);
      onChange();
      return () => {
        off();
        if (attached === controls) attached = null;
      };
    },
    changed: onChange,
    controls: () => attached,
  };
}
