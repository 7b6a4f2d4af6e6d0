/**
 * The event table's view: the newest trace events that match a filter, as rows. It reads the
 * kept log backwards from the playhead and stops once it has its rows (or has read a bounded
 * number of events), so a page costs what it reads, not the length of the run; the counts of the
 * filter come from {@link TypeCounts}, kept as the trace grows.
 */
import { isOpEvent, messageRefs, readWire, type TraceEvent } from '../../sim/index.ts';
import type { KeptLog } from '../observers.ts';
import { describeOp } from '../opText.ts';

/** Filters of the event table. */
export interface TableQuery {
  /** Case-insensitive text to find in the type, node or data. */
  readonly text?: string;
  /** Only these domains (`net`, `client`, `op`, …); empty or absent for all. */
  readonly domains?: readonly string[];
  /** Hide `net/*` hops. */
  readonly hideNet?: boolean;
  /** Hide `node/timerFired`. */
  readonly hideTimers?: boolean;
  /** Only events at this node. */
  readonly node?: string;
  /** Newest rows to return. Default 200. */
  readonly limit?: number;
}

/** One trace event as a row. */
export interface TableRow {
  readonly seq: number;
  readonly at: number;
  readonly node: string;
  readonly type: string;
  readonly causeSeq: number | null;
  /** Short readable form of `data`. */
  readonly summary: string;
  /** A chat message id the event is about, for "show its path". */
  readonly messageId: string | null;
}

/** A page of the event table: the newest matching rows up to the playhead. */
export interface TablePage {
  readonly rows: readonly TableRow[];
  /** Events that match the filter; a lower bound when {@link TablePage.matchedExact} is false. */
  readonly matched: number;
  /** False when the filter needs the text of every event and the scan stopped before the start. */
  readonly matchedExact: boolean;
  readonly total: number;
  readonly capped: boolean;
  /** Event domains present in the trace, for the filter. */
  readonly domains: readonly string[];
}

/** Rows the event table returns at most per call. */
export const TABLE_MAX = 2000;
/** Events one page reads at most when a text or node filter must look at each one. */
export const TABLE_SCAN_MAX = 200_000;

/** Counts of the trace by domain and by type, kept as it grows. */
export class TypeCounts {
  private readonly byDomain = new Map<string, number>();
  private readonly byType = new Map<string, { count: number; first: TraceEvent }>();
  private timers = 0;

  observe(e: TraceEvent): void {
    const domain = domainOf(e.type);
    this.byDomain.set(domain, (this.byDomain.get(domain) ?? 0) + 1);
    if (e.type === 'node/timerFired') this.timers++;
    const t = this.byType.get(e.type);
    if (t === undefined) this.byType.set(e.type, { count: 1, first: e });
    else t.count++;
  }

  /** How many events of a type there were, and the first of them. */
  ofType(type: string): { readonly count: number; readonly first: TraceEvent | null } {
    const t = this.byType.get(type);
    return t === undefined ? { count: 0, first: null } : t;
  }

  /** Domains present, sorted. */
  domains(): string[] {
    return [...this.byDomain.keys()].sort();
  }

  /** Events that pass the domain, net and timer filters (the ones counts can answer). */
  countOf(query: TableQuery): number {
    const domains = query.domains !== undefined && query.domains.length > 0 ? new Set(query.domains) : null;
    let n = 0;
    for (const [d, c] of this.byDomain) {
      if (domains !== null && !domains.has(d)) continue;
      if (query.hideNet === true && d === 'net') continue;
      n += c;
    }
    if (query.hideTimers === true && (domains === null || domains.has('node'))) n -= this.timers;
    return n;
  }
}

function domainOf(type: string): string {
  return type.slice(0, Math.max(0, type.indexOf('/')));
}

function primitive(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 40 ? `“${v.slice(0, 39)}…”` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return null;
}

/** The chat message an event is about, if it names one: its own data, or the payload it sent. */
function messageIdOf(e: TraceEvent): string | null {
  if (e.type === 'net/messageSent') {
    const wire = readWire(e.data.msg);
    return wire === null ? null : (messageRefs(wire).ids[0] ?? null);
  }
  const id = (e.data as Readonly<Record<string, unknown>>)['id'];
  return typeof id === 'string' ? id : null;
}

/**
 * A short, readable line for an event's data.
 *
 * @example
 * summarizeEvent(connectedEvent); // 'user=u1 server=ws-2'
 */
export function summarizeEvent(e: TraceEvent): string {
  if (e.type === 'net/messageSent' || e.type === 'net/messageDelivered' || e.type === 'net/messageDropped') {
    const wire = e.type === 'net/messageSent' ? readWire(e.data.msg) : null;
    const inner = wire !== null && (wire.type === 'fromClient' || wire.type === 'toClient') ? wire.frame.type : null;
    const what = wire === null ? '' : inner === null ? wire.type : `${wire.type} › ${inner}`;
    const reason = e.type === 'net/messageDropped' ? ` (${e.data.reason})` : '';
    return `${e.data.from} → ${e.data.to}${what === '' ? '' : `: ${what}`}${reason}`;
  }
  if (isOpEvent(e)) return describeOp(e.data.op);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.data)) {
    const p = primitive(v);
    if (p !== null) parts.push(`${k}=${p}`);
    if (parts.length >= 6) break;
  }
  return parts.join(' ');
}

function matchesText(e: TraceEvent, needle: string): boolean {
  if (e.type.toLowerCase().includes(needle) || e.node.toLowerCase().includes(needle)) return true;
  return JSON.stringify(e.data).toLowerCase().includes(needle);
}

/**
 * The newest events of the kept log that match `query`, oldest first.
 *
 * @example
 * tablePage(log, counts, { domains: ['client'], limit: 20 }).rows.length; // ≤ 20
 */
export function tablePage(log: KeptLog, counts: TypeCounts, query: TableQuery): TablePage {
  const limit = Math.max(1, Math.min(TABLE_MAX, query.limit ?? 200));
  const needle = (query.text ?? '').trim().toLowerCase();
  const domains = query.domains !== undefined && query.domains.length > 0 ? new Set(query.domains) : null;
  const node = query.node !== undefined && query.node !== '' ? query.node : null;
  // Without a text or node filter the counts answer how many match, and the scan stops at the page.
  const countable = needle === '' && node === null;
  const rows: TableRow[] = [];
  let matched = 0;
  let scanned = 0;
  let i = log.length - 1;
  for (; i >= 0; i--) {
    if (countable ? rows.length >= limit : scanned >= TABLE_SCAN_MAX) break;
    scanned++;
    const e = log.at(i) as TraceEvent;
    const domain = domainOf(e.type);
    if (domains !== null && !domains.has(domain)) continue;
    if (query.hideNet === true && domain === 'net') continue;
    if (query.hideTimers === true && e.type === 'node/timerFired') continue;
    if (node !== null && e.node !== node) continue;
    if (needle !== '' && !matchesText(e, needle)) continue;
    matched++;
    if (rows.length < limit) rows.push({ seq: e.seq, at: e.at, node: e.node, type: e.type, causeSeq: e.causeSeq, summary: summarizeEvent(e), messageId: messageIdOf(e) });
  }
  rows.reverse();
  const all = countable ? counts.countOf(query) : matched;
  return { rows, matched: all, matchedExact: countable || i < 0, total: log.length, capped: all > rows.length, domains: counts.domains() };
}
