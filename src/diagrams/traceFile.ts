/**
 * Reading a trace file back: the JSON lines `sim run --trace` writes (and the app's "Trace JSONL"
 * export), checked line by line against the trace's contract before anything reads them. Every
 * problem is one sentence naming its line (`line 12: …`); nothing here throws on any input.
 */
import { eventShapeProblem, type TraceEvent } from '../sim/index.ts';

/** What {@link readTraceJsonl} found: the events, or the first problem, naming its line. */
export type TraceFileRead = { readonly ok: true; readonly events: readonly TraceEvent[] } | { readonly ok: false; readonly error: string };

const KEYS = ['seq', 'at', 'node', 'causeSeq', 'type', 'data'] as const;

/** Shortens a piece of a line for a message. */
function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The problem with one parsed line, or null. `expectedSeq` and `lastAt` come from the line before.
 */
function lineProblem(value: unknown, expectedSeq: number, lastAt: number): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object (each line is one event: {"seq", "at", "node", "causeSeq", "type", "data"})';
  const e = value as Record<string, unknown>;
  for (const key of KEYS) if (!Object.prototype.hasOwnProperty.call(e, key)) return `the field "${key}" is missing`;
  for (const key of Object.keys(e)) if (!(KEYS as readonly string[]).includes(key)) return `the field "${clip(key)}" is not part of a trace event`;
  const { seq, at, node, causeSeq, type } = e;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return `seq is ${clip(JSON.stringify(seq))}, not a whole number`;
  if (seq !== expectedSeq) return `seq is ${seq} where ${expectedSeq} was expected (events are numbered from 0 without gaps; a trace cut at its start cannot be read)`;
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) return `at is ${clip(JSON.stringify(at))}, not a time in ms (a number ≥ 0)`;
  if (Math.abs(at * 1000 - Math.round(at * 1000)) > 1e-6) return `at is ${at}, finer than the trace's 1 µs resolution`;
  if (at < lastAt) return `at is ${at}, earlier than the event before it (${lastAt}); a trace's times never go back`;
  if (typeof node !== 'string' || node === '') return `node is ${clip(JSON.stringify(node))}, not a node id`;
  if (causeSeq !== null && (typeof causeSeq !== 'number' || !Number.isSafeInteger(causeSeq) || causeSeq < 0 || causeSeq >= seq)) {
    return `causeSeq is ${clip(JSON.stringify(causeSeq))}: it must be null or the seq of an earlier event`;
  }
  if (typeof type !== 'string') return `type is ${clip(JSON.stringify(type))}, not an event type`;
  return eventShapeProblem({ type, data: e['data'] });
}

/**
 * Reads a trace file's text: one event per line, numbered from 0, times never going back, each
 * event's type and fields those of the vocabulary (`EVENT_FIELDS`). A final newline (or none) is
 * fine; a blank line elsewhere is a problem. The first problem refuses the file. Never throws.
 *
 * @example
 * readTraceJsonl('{"seq":0,"at":0,"node":"gw","causeSeq":null,"type":"node/started","data":{"kind":"gateway","restart":false}}\n');
 * // { ok: true, events: [ … one event … ] }
 * readTraceJsonl('{"seq":0}');
 * // { ok: false, error: 'line 1: the field "at" is missing' }
 */
export function readTraceJsonl(text: string): TraceFileRead {
  if (typeof text !== 'string') return { ok: false, error: 'the file is not text' };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) return { ok: false, error: 'the file is empty: a trace has one event per line' };
  const events: TraceEvent[] = [];
  let lastAt = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let problem: string | null;
    let value: unknown = null;
    if (line.trim() === '') problem = 'blank line (each line is one event)';
    else {
      try {
        value = JSON.parse(line);
        problem = lineProblem(value, events.length, lastAt);
      } catch (error) {
        problem = `not JSON (${error instanceof Error ? error.message : String(error)}): ${clip(line)}`;
      }
    }
    // The first problem refuses the file: after it, the numbering the next lines are judged by is lost.
    if (problem !== null) return { ok: false, error: `line ${i + 1}: ${problem}` };
    const e = value as TraceEvent;
    lastAt = e.at;
    events.push(e);
  }
  return { ok: true, events };
}
