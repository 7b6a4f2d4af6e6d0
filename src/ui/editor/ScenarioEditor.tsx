/**
 * The scenario editor (ADR 0030), loaded lazily from free play: every field of the scenario as a
 * form drawn from the schema (meaning, unit, default, range), grouped by concept, with a filter; a
 * JSON view of the same value kept in sync both ways; problems from the real parser inline at the
 * field and in a summary that jumps to each; save, rename and delete custom scenarios; import and
 * export scenario files (the files `sim run` takes). All text is rendered as text.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import {
  FIELD_GROUPS,
  allowedText,
  basePresets,
  checkScenario,
  closestPreset,
  customScenarioOf,
  jsonEqual,
  patchFromPreset,
  readJson,
  readScenarioFile,
  scenarioFields,
  scenarioFileText,
  type CustomScenario,
  type FieldNode,
  type JsonSyntaxError,
  type ScenarioProblem,
} from '../../sim/index.ts';
import { downloadText } from '../export.ts';
import { Icon } from '../components/Icon.tsx';
import type { CustomList } from './useCustomRuns.tsx';
import { getAt, loosen, pathText, setAt, shortJson, templateOf, unitText, unitsByGroup, variantOf, variantTemplate, type Segs } from './model.ts';
import { isRecord } from '../record.ts';

export interface ScenarioEditorProps {
  /** The run on screen: its preset, its patch (null: none) and, when it is one, the custom scenario's name. */
  readonly start: { readonly base: string; readonly patch: Readonly<Record<string, unknown>> | null; readonly name: string | null };
  readonly list: CustomList;
  /** Runs the scenario in the workbench with the current seed. */
  readonly onRun: (custom: CustomScenario) => void;
  readonly onClose: () => void;
}

type Value = Record<string, unknown>;
/** A scenario as the editor's plain value (fields that follow another left out, see `loosen`). */
const asJson = (v: unknown): Value => loosen(JSON.parse(JSON.stringify(v)) as Value);
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** The complete scenario a preset with a patch stands for (the editor's starting value). */
function initialValue(base: string, patch: Readonly<Record<string, unknown>> | null): { base: string; value: Value; note: string | null } {
  const checked = customScenarioOf({ name: '', base, patch: patch ?? {} });
  if (checked.ok) return { base, value: asJson(checked.scenario), note: null };
  const fallback = basePresets()[0];
  const plain = fallback === undefined ? null : customScenarioOf({ name: '', base: fallback.id, patch: {} });
  return {
    base: fallback?.id ?? base,
    value: plain !== null && plain.ok ? asJson(plain.scenario) : { durationMs: 60_000 },
    note: `${base} cannot be edited here (${checked.problems[0]?.message ?? 'not a preset'}); started from ${fallback?.id ?? 'a blank scenario'} instead.`,
  };
}

/** Problems filed by field path. */
function byPath(problems: readonly ScenarioProblem[]): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) out.set(p.path, [...(out.get(p.path) ?? []), p.message]);
  return out;
}

interface FormContext {
  readonly value: Value;
  readonly problems: ReadonlyMap<string, readonly string[]>;
  readonly set: (segs: Segs, v: unknown) => void;
}

/** The problems at one path, inline. */
function InlineProblems({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (messages === undefined || messages.length === 0) return null;
  return (
    <ul className="editor-problems" id={id} role="alert">
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

/** A field's meaning, unit, range and default, and whether the value differs from the default. */
function FieldFacts({ node, value, id }: { node: FieldNode; value: unknown; id: string }) {
  const hasDefault = node.defaultValue !== undefined;
  const changed = hasDefault && value !== undefined && !jsonEqual(value, node.defaultValue);
  return (
    <div className="editor-facts" id={id}>
      {node.doc.description === '' ? null : <p className="editor-doc">{node.doc.description}</p>}
      <p className="editor-meta">
        <span>unit: {node.doc.unit === '' ? '—' : node.doc.unit}</span>
        <span>allowed: {allowedText(node)}</span>
        <span>{hasDefault ? `default: ${shortJson(node.defaultValue)}` : node.optional ? 'optional' : 'required'}</span>
        {changed ? <span className="editor-changed">changed from the default</span> : null}
      </p>
    </div>
  );
}

/** A number typed as text, kept while it is being typed ("0." is on its way to "0.5"). */
function NumberInput({ value, label, describedBy, invalid, onChange }: { value: unknown; label: string; describedBy: string; invalid: boolean; onChange: (v: unknown) => void }) {
  const shown = value === undefined ? '' : typeof value === 'number' ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);
  const [text, setText] = useState(shown);
  const last = useRef(value);
  useEffect(() => {
    if (!jsonEqual(value, last.current)) {
      last.current = value;
      setText(shown);
    }
  }, [value, shown]);
  return (
    <input
      type="text"
      inputMode="decimal"
      spellCheck={false}
      aria-label={label}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      value={text}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        const trimmed = t.trim();
        // Not a number: the parser names the problem at the field, as it would in a file.
        const next = trimmed === '' ? undefined : /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : t;
        last.current = next;
        onChange(next);
      }}
    />
  );
}

/** JSON typed into one field (an injected message), kept while it is not JSON yet. */
function JsonInput({ value, label, describedBy, onChange }: { value: unknown; label: string; describedBy: string; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(() => (value === undefined ? '' : pretty(value)));
  const [error, setError] = useState<JsonSyntaxError | null>(null);
  return (
    <>
      <textarea
        className="editor-json-field"
        aria-label={label}
        aria-describedby={describedBy}
        aria-invalid={error !== null}
        spellCheck={false}
        value={text}
        rows={4}
        onChange={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          const r = readJson(t);
          setError(r.ok ? null : r.error);
          if (r.ok) onChange(r.value);
        }}
      />
      {error === null ? null : <p className="editor-problems">{`Line ${error.line}, column ${error.column}: ${error.message}`}</p>}
    </>
  );
}

/** One leaf: its input, facts and problems. */
function LeafField({ node, segs, ctx }: { node: FieldNode; segs: Segs; ctx: FormContext }) {
  const path = pathText(segs);
  const value = getAt(ctx.value, segs);
  const messages = ctx.problems.get(path);
  const ids = { facts: useId(), problems: useId() };
  const describedBy = `${ids.facts} ${ids.problems}`;
  const invalid = messages !== undefined;
  const set = (v: unknown) => ctx.set(segs, v);
  let input: ReactNode;
  switch (node.kind) {
    case 'number':
      input = <NumberInput value={value} label={path} describedBy={describedBy} invalid={invalid} onChange={set} />;
      break;
    case 'boolean':
      input = <input type="checkbox" aria-label={path} aria-describedby={describedBy} aria-invalid={invalid} checked={value === true} onChange={(e) => set(e.currentTarget.checked)} />;
      break;
    case 'enum':
      input = (
        <select aria-label={path} aria-describedby={describedBy} aria-invalid={invalid} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}>
          {typeof value === 'string' && node.values.includes(value) ? null : <option value="">{value === undefined ? '(not set)' : shortJson(value)}</option>}
          {node.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      );
      break;
    case 'literal':
      input = <code>{node.value}</code>;
      break;
    case 'json':
      input = <JsonInput value={value} label={path} describedBy={describedBy} onChange={set} />;
      break;
    default:
      input = (
        <input
          type="text"
          spellCheck={false}
          aria-label={path}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          value={typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
          onChange={(e) => set(e.currentTarget.value === '' && node.optional ? undefined : e.currentTarget.value)}
        />
      );
  }
  return (
    <div className={`editor-field${invalid ? ' has-problem' : ''}`} data-path={path}>
      <div className="editor-field-head">
        <span className="editor-key">{node.key}</span>
        <code className="editor-path">{path}</code>
        {input}
      </div>
      <FieldFacts node={node} value={value} id={ids.facts} />
      <InlineProblems id={ids.problems} messages={messages} />
    </div>
  );
}

/** Any field: a leaf, an object's fields, a union's kind and fields, a list's entries. */
function NodeView({ node, segs, ctx }: { node: FieldNode; segs: Segs; ctx: FormContext }): ReactNode {
  const path = pathText(segs);
  const value = getAt(ctx.value, segs);
  const problemsId = useId();
  if (node.kind !== 'object' && node.kind !== 'union' && node.kind !== 'array') return <LeafField node={node} segs={segs} ctx={ctx} />;
  const absent = value === undefined;
  const head = (
    <div className="editor-field-head">
      <span className="editor-key">{node.key}</span>
      <code className="editor-path">{path}</code>
      {node.optional || node.nullable ? (
        absent || value === null ? (
          <button type="button" className="small" onClick={() => ctx.set(segs, templateOf(node))} aria-label={`Set ${path}`}>
            Set
          </button>
        ) : (
          <button type="button" className="small" onClick={() => ctx.set(segs, undefined)} aria-label={`Remove ${path}`}>
            Remove
          </button>
        )
      ) : null}
    </div>
  );
  let body: ReactNode = null;
  if (!absent && value !== null) {
    if (node.kind === 'object') {
      body = node.fields.map((f) => <NodeView key={f.key} node={f} segs={[...segs, f.key]} ctx={ctx} />);
    } else if (node.kind === 'union') {
      const variant = variantOf(node, value);
      body = (
        <>
          <label className="editor-kind">
            <span>{node.discriminator}</span>
            <select
              aria-label={`${path}.${node.discriminator}`}
              value={variant?.tag ?? ''}
              onChange={(e) => ctx.set(segs, variantTemplate(node, e.currentTarget.value, value))}
            >
              {variant === null ? <option value="">(unknown kind)</option> : null}
              {node.variants.map((v) => (
                <option key={v.tag} value={v.tag}>
                  {v.tag}
                </option>
              ))}
            </select>
          </label>
          {variant?.fields.filter((f) => f.key !== node.discriminator).map((f) => <NodeView key={`${variant.tag}:${f.key}`} node={f} segs={[...segs, f.key]} ctx={ctx} />)}
        </>
      );
    } else {
      const items = Array.isArray(value) ? value : [];
      body = (
        <>
          <ol className="editor-list">
            {items.map((_, i) => (
              <li key={i}>
                <NodeView node={node.element} segs={[...segs, i]} ctx={ctx} />
                <button type="button" className="small" aria-label={`Remove ${path}[${i}]`} onClick={() => ctx.set([...segs, i], undefined)}>
                  Remove
                </button>
              </li>
            ))}
          </ol>
          <button type="button" className="small" aria-label={`Add to ${path}`} onClick={() => ctx.set(segs, [...items, templateOf(node.element)])}>
            Add
          </button>
        </>
      );
    }
  }
  return (
    <fieldset className={`editor-node editor-${node.kind}`} data-path={path} aria-describedby={problemsId}>
      <legend className="visually-hidden">{path}</legend>
      {head}
      {node.doc.description === '' ? null : <p className="editor-doc">{node.doc.description}</p>}
      {node.kind === 'array' ? <p className="editor-meta">{allowedText(node)}</p> : null}
      <InlineProblems id={problemsId} messages={ctx.problems.get(path)} />
      {body}
    </fieldset>
  );
}

/** Moves focus to a field (or its nearest shown parent), opening its group. */
function jumpTo(root: HTMLElement | null, path: string): void {
  if (root === null) return;
  let p = path;
  for (;;) {
    const el = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el !== null) {
      const details = el.closest('details');
      if (details !== null) details.open = true;
      el.scrollIntoView({ block: 'center' });
      (el.querySelector<HTMLElement>('input, select, textarea, button') ?? el).focus();
      return;
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return;
    p = p.slice(0, cut);
  }
}

/** The editor. */
export default function ScenarioEditor({ start, list, onRun, onClose }: ScenarioEditorProps) {
  const [initial] = useState(() => initialValue(start.base, start.patch));
  const [base, setBase] = useState(initial.base);
  const [value, setValue] = useState<Value>(initial.value);
  const [name, setName] = useState(start.name ?? '');
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string; lines?: readonly string[] } | null>(initial.note === null ? null : { kind: 'error', text: initial.note });
  const [jsonText, setJsonText] = useState(() => pretty(initial.value));
  const [jsonError, setJsonError] = useState<JsonSyntaxError | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const fromJson = useRef<Value | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const ids = { name: useId(), filter: useId(), json: useId(), file: useId() };

  const fields = useMemo(() => scenarioFields(), []);
  const groups = useMemo(() => unitsByGroup(fields), [fields]);
  const check = useMemo(() => checkScenario(value), [value]);
  const problems = useMemo(() => (check.ok ? [] : check.problems), [check]);
  const problemMap = useMemo(() => byPath(problems), [problems]);

  // The JSON view follows the form; an edit made in the JSON view is not written back over itself.
  useEffect(() => {
    if (fromJson.current === value) return;
    setJsonText(pretty(value));
    setJsonError(null);
  }, [value]);

  const set = useCallback((segs: Segs, v: unknown) => setValue((old) => setAt(old, segs, v) as Value), []);
  const ctx: FormContext = { value, problems: problemMap, set };

  const onJson = (text: string) => {
    setJsonText(text);
    const r = readJson(text);
    if (!r.ok) return setJsonError(r.error);
    if (!isRecord(r.value)) return setJsonError({ message: 'a scenario is one JSON object', line: 1, column: 1 });
    setJsonError(null);
    fromJson.current = r.value;
    setValue(r.value);
  };

  /** The custom scenario the editor holds, or the problems that keep it from being one. */
  const asCustom = (): CustomScenario | null => {
    if (!check.ok) {
      setStatus({ kind: 'error', text: `Fix ${problems.length} problem${problems.length === 1 ? '' : 's'} first.` });
      return null;
    }
    const preset = basePresets().find((p) => p.id === base);
    if (preset === undefined) return null;
    return { name: name.trim() === '' ? `${base} (edited)` : name.trim(), base, patch: patchFromPreset(preset, check.scenario) };
  };
  const save = () => {
    const custom = asCustom();
    if (custom === null) return;
    const refused = list.save(custom);
    setStatus(refused === null ? { kind: 'ok', text: `Saved "${custom.name}".` } : { kind: 'error', text: refused });
    if (refused === null) setName(custom.name);
  };
  const run = () => {
    const custom = asCustom();
    if (custom !== null) onRun(custom);
  };
  const exportFile = () => {
    if (!check.ok) return setStatus({ kind: 'error', text: `Fix ${problems.length} problem${problems.length === 1 ? '' : 's'} before exporting: a file the CLI refuses is no use.` });
    const fileName = `${(name.trim() === '' ? base : name.trim()).replace(/[^\w.-]+/g, '-')}.json`;
    downloadText(fileName, scenarioFileText(check.scenario), 'application/json');
    setStatus({ kind: 'ok', text: `Exported ${fileName}: run it with npm run --silent sim -- run --scenario ${fileName} --seed <n>.` });
  };
  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    event.currentTarget.value = '';
    if (file === undefined) return;
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      return setStatus({ kind: 'error', text: `${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}` });
    }
    const read = readScenarioFile(text);
    if (!read.ok) {
      return setStatus({ kind: 'error', text: `${file.name} was not imported:`, lines: read.problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)) });
    }
    const closest = closestPreset(read.scenario);
    setBase(closest.base);
    setValue(asJson(read.scenario));
    setName(file.name.replace(/\.json$/i, '').slice(0, 80));
    setStatus({ kind: 'ok', text: `Imported ${file.name} (kept as changes to ${closest.base}).` });
  };
  const open = (c: CustomScenario) => {
    const checked = customScenarioOf(c);
    if (!checked.ok) return setStatus({ kind: 'error', text: `"${c.name}" no longer validates:`, lines: checked.problems.map((p) => `${p.path}: ${p.message}`) });
    setBase(c.base);
    setValue(asJson(checked.scenario));
    setName(c.name);
    setStatus(null);
  };
  const reset = () => {
    const fresh = initialValue(base, null);
    setValue(fresh.value);
    setStatus({ kind: 'ok', text: `Back to the preset ${base}.` });
  };

  const query = filter.trim().toLowerCase();
  const changedFromPreset = useMemo(() => {
    const preset = basePresets().find((p) => p.id === base);
    return preset === undefined || !check.ok ? null : Object.keys(patchFromPreset(preset, check.scenario)).length;
  }, [base, check]);

  return (
    <div
      className="editor-dialog"
      role="dialog"
      aria-modal="true"
      aria-label="Scenario editor"
      ref={rootRef}
      onKeyDown={(e) => {
        // The workbench's shortcuts stay out of the editor; Escape closes it.
        e.stopPropagation();
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="editor-header">
        <h2>Scenario editor</h2>
        <p className="editor-base">
          Based on <strong>{base}</strong>
          {changedFromPreset === null ? null : ` · ${changedFromPreset} top-level part${changedFromPreset === 1 ? '' : 's'} changed`}
        </p>
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} type="text" value={name} maxLength={80} placeholder={`${base} (edited)`} onChange={(e) => setName(e.currentTarget.value)} />
        <button type="button" onClick={save}>
          Save
        </button>
        <button type="button" className="primary" onClick={run} disabled={!check.ok} title={check.ok ? 'Load it in the workbench with the current seed' : 'Fix the problems first'}>
          Run this scenario
        </button>
        <button type="button" onClick={exportFile}>
          Export file
        </button>
        <label className="button-like" htmlFor={ids.file}>
          Import file
        </label>
        <input id={ids.file} className="visually-hidden" type="file" accept=".json,application/json" onChange={(e) => void importFile(e)} />
        <button type="button" onClick={reset}>
          Reset to preset
        </button>
        <button type="button" className="icon-button" onClick={onClose} title="Close the editor (Esc)">
          <Icon name="close" size={16} />
          <span className="visually-hidden">Close</span>
        </button>
      </header>
      {status === null ? null : (
        <div className={`notice-bar ${status.kind === 'error' ? 'notice-error' : ''}`} role={status.kind === 'error' ? 'alert' : 'status'} data-testid="editor-status">
          <span>{status.text}</span>
          {status.lines === undefined ? null : (
            <ul className="editor-import-problems">
              {status.lines.map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="editor-body">
        <section className="editor-form" aria-label="Fields">
          <div className="editor-tools">
            <label htmlFor={ids.filter}>Filter</label>
            <input id={ids.filter} type="search" value={filter} placeholder="a field, a word of its meaning…" onChange={(e) => setFilter(e.currentTarget.value)} />
          </div>
          <div className="editor-summary" aria-live="polite">
            {problems.length === 0 ? (
              <p className="editor-ok" data-testid="editor-valid">
                Valid: this scenario runs.
              </p>
            ) : (
              <>
                <p className="editor-problem-count" data-testid="editor-problem-count">
                  {problems.length} problem{problems.length === 1 ? '' : 's'}
                </p>
                <ul className="editor-problem-list" aria-label="Problems">
                  {problems.map((p, i) => (
                    <li key={i}>
                      <button type="button" className="link-button" onClick={() => jumpTo(rootRef.current, p.path)}>
                        {p.path === '' ? 'scenario' : p.path}
                      </button>
                      : {p.message}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
          {FIELD_GROUPS.map((group) => {
            const units = (groups.get(group) ?? []).filter((u) => query === '' || unitText(u.node).includes(query));
            if (units.length === 0) return null;
            const count = units.reduce((n, u) => n + problems.filter((p) => p.path === pathText(u.segs) || p.path.startsWith(`${pathText(u.segs)}.`) || p.path.startsWith(`${pathText(u.segs)}[`)).length, 0);
            return (
              <details key={`${group}:${query === '' ? 'all' : 'filtered'}`} className="editor-group" open={query !== '' || count > 0 || undefined}>
                <summary>
                  {group} <span className="editor-count">({units.length})</span>
                  {count > 0 ? <span className="editor-group-problems"> {count} problem{count === 1 ? '' : 's'}</span> : null}
                </summary>
                {units.map((u) => (
                  <NodeView key={pathText(u.segs)} node={u.node} segs={u.segs} ctx={ctx} />
                ))}
              </details>
            );
          })}
        </section>
        <section className="editor-json" aria-label="JSON">
          <label htmlFor={ids.json}>Scenario file (JSON)</label>
          <textarea id={ids.json} spellCheck={false} value={jsonText} aria-invalid={jsonError !== null} onChange={(e) => onJson(e.currentTarget.value)} />
          {jsonError === null ? null : (
            <p className="editor-problems" role="alert" data-testid="json-error">
              {`JSON error at line ${jsonError.line}, column ${jsonError.column}: ${jsonError.message}. The form keeps the last valid scenario.`}
            </p>
          )}
          <section className="editor-saved" aria-label="Your scenarios">
            <h3>Your scenarios</h3>
            {list.messages.length === 0 ? null : (
              <ul className="editor-problems" data-testid="saved-messages">
                {list.messages.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            )}
            {list.customs.length === 0 ? <p className="empty">None saved yet.</p> : null}
            <ul>
              {list.customs.map((c) => (
                <li key={c.name}>
                  {renaming?.from === c.name ? (
                    <>
                      <input aria-label={`New name for ${c.name}`} value={renaming.to} maxLength={80} onChange={(e) => setRenaming({ from: c.name, to: e.currentTarget.value })} />
                      <button
                        type="button"
                        className="small"
                        onClick={() => {
                          const refused = list.rename(c.name, renaming.to);
                          setStatus(refused === null ? { kind: 'ok', text: `Renamed to "${renaming.to.trim()}".` } : { kind: 'error', text: refused });
                          if (refused === null) {
                            if (name === c.name) setName(renaming.to.trim());
                            setRenaming(null);
                          }
                        }}
                      >
                        OK
                      </button>
                    </>
                  ) : (
                    <span className="editor-saved-name">{c.name}</span>
                  )}
                  <span className="editor-saved-base">{c.base}</span>
                  <button type="button" className="small" aria-label={`Open ${c.name}`} onClick={() => open(c)}>
                    Open
                  </button>
                  <button type="button" className="small" aria-label={`Rename ${c.name}`} onClick={() => setRenaming({ from: c.name, to: c.name })}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="small"
                    aria-label={`Delete ${c.name}`}
                    onClick={() => {
                      const refused = list.remove(c.name);
                      setStatus(refused === null ? { kind: 'ok', text: `Deleted "${c.name}".` } : { kind: 'error', text: refused });
                    }}
                  >
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </section>
      </div>
    </div>
  );
}
