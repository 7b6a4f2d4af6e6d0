import { useEffect, useId, useState } from 'react';
import { SWITCHES, switchPatch, type ScenarioEntry } from '../../workbench/index.ts';
import { parseSeed } from '../format.ts';
import type { CompareState } from './state.ts';

export interface ComparePickerProps {
  readonly state: CompareState;
  readonly scenarios: readonly ScenarioEntry[];
  readonly disabled: boolean;
  readonly onApply: (next: CompareState) => void;
}

/** Scenarios a comparison can run: chat clusters with an end (not the kernel demo). */
const comparable = (s: ScenarioEntry): boolean => s.endMs !== null;

/** A preset picker of one side (the value shown even when the list does not hold it). */
function PresetField({ id, label, value, list, disabled, onChange }: { id: string; label: string; value: string; list: readonly ScenarioEntry[]; disabled: boolean; onChange: (id: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled || list.length === 0} onChange={(event) => onChange(event.currentTarget.value)}>
        {list.some((s) => s.id === value) ? null : <option value={value}>{value}</option>}
        {list.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * What to compare: A's preset, then B as A with one switch changed (a design decision, its value
 * a patch over A) or another preset, and the one seed both run with.
 */
export function ComparePicker({ state, scenarios, disabled, onApply }: ComparePickerProps) {
  const ids = { a: useId(), mode: useId(), sw: useId(), value: useId(), b: useId(), seed: useId() };
  const [a, setA] = useState(state.a.scenario);
  const [mode, setMode] = useState<'switch' | 'preset'>('preset');
  const [sw, setSw] = useState(SWITCHES[0]?.id ?? '');
  const [value, setValue] = useState(SWITCHES[0]?.values[0]?.id ?? '');
  const [b, setB] = useState(state.b.scenario);
  const [seedText, setSeedText] = useState(String(state.seed));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setA(state.a.scenario);
    setB(state.b.scenario);
    setSeedText(String(state.seed));
  }, [state]);
  const current = SWITCHES.find((s) => s.id === sw);
  const seed = parseSeed(seedText);
  const list = scenarios.filter(comparable);

  const submit = (): void => {
    if (seed === null) return;
    try {
      const sideA = { scenario: a, patch: a === state.a.scenario ? state.a.patch : null };
      const sideB = mode === 'switch' ? { scenario: a, patch: switchPatch(a, sideA.patch, sw, value) } : { scenario: b, patch: b === state.b.scenario ? state.b.patch : null };
      setError(null);
      // The faults stay while A's preset does (its nodes are the ones they name).
      onApply({ a: sideA, b: sideB, seed, atMs: null, msg: null, interventions: a === state.a.scenario ? state.interventions : [] });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form
      className="compare-picker"
      aria-label="What to compare"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <PresetField id={ids.a} label="A" value={a} list={list} disabled={disabled} onChange={setA} />
      <div className="field">
        <label htmlFor={ids.mode}>B is</label>
        <select id={ids.mode} value={mode} disabled={disabled} onChange={(event) => setMode(event.currentTarget.value === 'switch' ? 'switch' : 'preset')}>
          <option value="preset">another preset</option>
          <option value="switch">A with one switch changed</option>
        </select>
      </div>
      {mode === 'switch' ? (
        <>
          <div className="field">
            <label htmlFor={ids.sw}>Switch</label>
            <select
              id={ids.sw}
              value={sw}
              disabled={disabled}
              title={current?.explain}
              onChange={(event) => {
                const next = SWITCHES.find((s) => s.id === event.currentTarget.value);
                setSw(event.currentTarget.value);
                setValue(next?.values[0]?.id ?? '');
              }}
            >
              {SWITCHES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.value}>Value</label>
            <select id={ids.value} value={value} disabled={disabled} onChange={(event) => setValue(event.currentTarget.value)}>
              {(current?.values ?? []).map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label}
                </option>
              ))}
            </select>
          </div>
        </>
      ) : (
        <PresetField id={ids.b} label="B" value={b} list={list} disabled={disabled} onChange={setB} />
      )}
      <div className="field seed-field">
        <label htmlFor={ids.seed}>Seed</label>
        <input id={ids.seed} className="seed-input" type="text" inputMode="numeric" value={seedText} aria-invalid={seed === null} onChange={(event) => setSeedText(event.currentTarget.value)} />
      </div>
      <button type="submit" className="primary" disabled={disabled || seed === null}>
        Compare
      </button>
      {error === null ? null : (
        <p className="field-hint error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
