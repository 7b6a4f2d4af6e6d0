/**
 * Free play's custom scenarios (ADR 0030): the saved list, which one is loaded, the toolbar's part
 * (the picker's own group, the "Edit scenario" button) and the editor's dialog, loaded lazily. A
 * custom scenario loads as its preset plus its patch, so the session, the link and the playback
 * machine see nothing new.
 */
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import type { CustomScenario } from '../../sim/index.ts';
import { customStorage, nameProblem, readCustoms, withCustom, writeCustoms, type CustomStorage } from './customStore.ts';

const ScenarioEditor = lazy(() => import('./ScenarioEditor.tsx'));

/** The saved custom scenarios and what can be done with them. */
export interface CustomList {
  readonly customs: readonly CustomScenario[];
  /** Sentences about entries dropped or saves refused. */
  readonly messages: readonly string[];
  /** Saves (replacing `replacing` when renaming on save); returns why it could not, or null. */
  readonly save: (custom: CustomScenario, replacing?: string | null) => string | null;
  readonly rename: (from: string, to: string) => string | null;
  readonly remove: (name: string) => string | null;
  readonly dismiss: () => void;
}

/** The saved list, read once from storage; every change is written back at once. */
export function useCustomList(storage: CustomStorage | null = customStorage()): CustomList {
  const [store] = useState(() => storage);
  const [state, setState] = useState(() => readCustoms(store));
  const commit = useCallback(
    (next: CustomScenario[]): string | null => {
      const refused = writeCustoms(store, next);
      if (refused !== null) return refused;
      setState((s) => ({ ...s, customs: next }));
      return null;
    },
    [store],
  );
  const save = useCallback(
    (custom: CustomScenario, replacing: string | null = null) => {
      const problem = nameProblem(custom.name, state.customs.filter((c) => c.name !== replacing && c.name !== custom.name).map((c) => c.name));
      return problem ?? commit(withCustom(state.customs, { ...custom, name: custom.name.trim() }, replacing));
    },
    [state.customs, commit],
  );
  const rename = useCallback(
    (from: string, to: string) => {
      const problem = nameProblem(to, state.customs.filter((c) => c.name !== from).map((c) => c.name));
      return problem ?? commit(state.customs.map((c) => (c.name === from ? { ...c, name: to.trim() } : c)));
    },
    [state.customs, commit],
  );
  const remove = useCallback((name: string) => commit(state.customs.filter((c) => c.name !== name)), [state.customs, commit]);
  const dismiss = useCallback(() => setState((s) => ({ ...s, messages: [] })), []);
  return { customs: state.customs, messages: state.messages, save, rename, remove, dismiss };
}

/** The run on screen, as the playback machine asked for it. */
export interface WantedRun {
  readonly scenario: string;
  readonly seed: number;
  readonly patch?: unknown;
}

const samePatch = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What free play adds to the toolbar and the page for custom scenarios. */
export interface CustomRuns {
  /** The toolbar's props: the picker's custom group, the loaded one, and the editor's button. */
  readonly toolbar: {
    readonly customs?: readonly string[];
    readonly custom?: string | null;
    readonly onLoadCustom?: (name: string, seed: number) => void;
    readonly editButton?: ReactNode;
  };
  /** The editor's dialog while it is open, and the notice of saved scenarios dropped as damaged. */
  readonly dialog: ReactNode;
}

/**
 * Custom scenarios in free play: `load` loads a preset with a patch (the playback machine's
 * LOAD); `enabled` is false in a lab, which has its own runs.
 */
export function useCustomRuns({ enabled, wanted, load, list: given }: { enabled: boolean; wanted: WantedRun; load: (scenario: string, seed: number, patch: Record<string, unknown> | undefined) => void; list?: CustomList }): CustomRuns {
  const own = useCustomList();
  const list = given ?? own;
  const [chosen, setChosen] = useState<CustomScenario | null>(null);
  const [open, setOpen] = useState(false);
  // The custom scenario on screen: the one chosen last, while the run is still its preset and patch,
  // or else a saved one that is this preset and patch (a reload, a link to it).
  const matches = (c: CustomScenario) => c.base === wanted.scenario && samePatch(c.patch, wanted.patch);
  // A saved entry wins over the chosen copy, so a rename in the editor shows in the picker at once.
  const saved = wanted.patch == null ? null : (list.customs.find((c) => c.name === chosen?.name && matches(c)) ?? list.customs.find(matches) ?? null);
  const current = saved ?? (chosen !== null && matches(chosen) ? chosen : null);
  const run = useCallback(
    (custom: CustomScenario, seed: number) => {
      setChosen(custom);
      load(custom.base, seed, custom.patch);
    },
    [load],
  );
  const onLoadCustom = useCallback(
    (name: string, seed: number) => {
      const custom = list.customs.find((c) => c.name === name) ?? (current?.name === name ? current : null);
      if (custom !== null && custom !== undefined) run(custom, seed);
    },
    [list.customs, current, run],
  );
  const names = useMemo(() => {
    const saved = list.customs.map((c) => c.name);
    return current !== null && !saved.includes(current.name) ? [...saved, current.name] : saved;
  }, [list.customs, current]);
  const start = useMemo(
    () => ({ base: wanted.scenario, patch: typeof wanted.patch === 'object' && wanted.patch !== null ? (wanted.patch as Record<string, unknown>) : null, name: current?.name ?? null }),
    [wanted.scenario, wanted.patch, current],
  );
  if (!enabled) return { toolbar: {}, dialog: null };
  return {
    toolbar: {
      customs: names,
      custom: current?.name ?? null,
      onLoadCustom,
      editButton: (
        <button type="button" className="edit-scenario-button" onClick={() => setOpen(true)} title="Edit every field of this scenario, save it, import or export it">
          Edit scenario
        </button>
      ),
    },
    dialog: (
      <>
        {list.messages.length === 0 ? null : (
          <div className="notice-bar notice-warning" role="status" data-testid="custom-notice">
            <span>{list.messages.join(' ')}</span>
            <button type="button" className="small" onClick={list.dismiss}>
              Dismiss
            </button>
          </div>
        )}
        {open ? (
      <Suspense
        fallback={
          <div className="editor-dialog" role="dialog" aria-label="Scenario editor">
            <p className="empty">Loading the scenario editor…</p>
          </div>
        }
      >
        <ScenarioEditor
          start={start}
          list={list}
          onRun={(custom) => {
            run(custom, wanted.seed);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      </Suspense>
        ) : null}
      </>
    ),
  };
}
