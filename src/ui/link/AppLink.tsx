/**
 * The page's side of links (ADR 0027): the address bar kept up to date with the state on screen,
 * the "Copy link" button, and the notice of what an opened link ignored.
 */
import { useEffect, useRef, useState } from 'react';
import { Icon } from '../components/Icon.tsx';
import { linkAddress } from '../route.ts';
import type { Session } from '../session/session.ts';
import { useStore } from '../session/store.ts';
import { encodeLink, type LinkState } from './state.ts';

/** A link as opened: its state and every sentence about what it ignored. */
export interface OpenedLink {
  readonly state: LinkState;
  readonly messages: readonly string[];
}

/** What changes a new history entry (the rest, the playhead and the view, replaces the current one). */
const meaningfulOf = (s: Omit<LinkState, 'nowMs'>): string => JSON.stringify([s.lab, s.scenario, s.seed, s.patch, s.interventions]);

/**
 * Keeps the address bar's `?s=` on the state shown: a new run, a new lab step or a new
 * intervention pushes a history entry (so back and forward move between them); the playhead and
 * the view replace the current one. While playing, the playhead is written once a second.
 * Renders nothing; it subscribes to the playhead itself so the workbench does not re-render per frame.
 */
export function LinkWriter({ session, base, playing }: { session: Session; base: Omit<LinkState, 'nowMs'> | null; playing: boolean }) {
  const nowMs = useStore(session.store, (st) => {
    const now = st.summary?.nowMs ?? 0;
    return playing ? Math.floor(now / 1000) * 1000 : now;
  });
  const last = useRef<string | null>(null);
  const pushPending = useRef(false);
  const serial = useRef(0);
  useEffect(() => {
    if (base === null) return;
    const meaningful = meaningfulOf(base);
    if (last.current !== null && last.current !== meaningful) pushPending.current = true;
    last.current = meaningful;
    const mine = ++serial.current;
    void encodeLink({ ...base, nowMs }).then((code) => {
      // A newer state was asked for meanwhile: it writes (and pushes, if this one was to).
      if (mine !== serial.current) return;
      const next = linkAddress(code, location.search, location.pathname);
      if (next === `${location.pathname}${location.search}${location.hash}`) return;
      if (pushPending.current) history.pushState(null, '', next);
      else history.replaceState(null, '', next);
      pushPending.current = false;
    });
  }, [base, nowMs]);
  return null;
}

/**
 * Copies a link to the state on screen (the playhead exactly where it is). The link is also kept
 * on the button (`data-copied`) and shown when the clipboard refuses.
 */
export function CopyLinkButton({ current }: { current: () => LinkState | null }) {
  const [copied, setCopied] = useState<{ url: string; ok: boolean } | null>(null);
  const copy = async () => {
    const state = current();
    if (state === null) return;
    const url = `${location.origin}${linkAddress(await encodeLink(state), location.search, location.pathname)}`;
    let ok = true;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      ok = false;
    }
    setCopied({ url, ok });
  };
  return (
    <>
      <button
        type="button"
        className="icon-button"
        data-testid="copy-link"
        data-copied={copied?.url}
        onClick={() => void copy()}
        title="Copy a link to this run at this moment, with its interventions and view"
      >
        <Icon name="copy" />
        <span className="visually-hidden">Copy link</span>
      </button>
      {copied === null ? null : (
        <span className="link-copied" role="status">
          {copied.ok ? 'Link copied' : <input readOnly aria-label="The link (copy it by hand)" value={copied.url} onFocus={(e) => e.currentTarget.select()} size={24} />}
        </span>
      )}
    </>
  );
}

/** What an opened link ignored, until dismissed. */
export function LinkNotice({ messages }: { messages: readonly string[] }) {
  const [open, setOpen] = useState(messages.length > 0);
  if (!open || messages.length === 0) return null;
  return (
    <div className="notice-bar notice-error" role="alert" data-testid="link-notice">
      <div>
        <strong>Parts of this link were ignored.</strong>
        <ul className="link-notice-list">
          {messages.slice(0, 8).map((m, i) => (
            <li key={i}>{m}</li>
          ))}
          {messages.length > 8 ? <li>…and {messages.length - 8} more.</li> : null}
        </ul>
      </div>
      <button type="button" className="icon-button small" onClick={() => setOpen(false)}>
        <Icon name="close" size={14} />
        <span className="visually-hidden">Dismiss</span>
      </button>
    </div>
  );
}

/** The state a link opens as the workbench's first run (interventions replayed to the playhead). */
export function startOfLink(state: LinkState): { scenario: string; seed: number; patch?: unknown; resume?: { interventions: LinkState['interventions']; nowMs: number } } {
  return {
    scenario: state.scenario,
    seed: state.seed,
    ...(state.patch === null ? {} : { patch: state.patch }),
    ...(state.interventions.length > 0 || state.nowMs > 0 ? { resume: { interventions: state.interventions, nowMs: state.nowMs } } : {}),
  };
}
