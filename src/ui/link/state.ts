/**
 * The state a link carries (ADR 0027): enough to open the same run at the same moment with the
 * same view on another machine. This module holds the state's type, its compact wire form and the
 * encoder; it imports nothing from the simulation at run time, so the page can write links without
 * loading the validator (`decode.ts`, loaded when a link is opened).
 *
 * A link is `<version>.<payload>`: version `1` is deflate-raw (CompressionStream) of the wire
 * form's JSON, base64url; `1u` is the same JSON uncompressed, written where CompressionStream is
 * missing. Both decode everywhere DecompressionStream exists (`1u` everywhere).
 */
import type { Op } from '../../sim/index.ts';

/** The link format's version; a link with another version is refused with a message. */
export const LINK_VERSION = 1;

/** The query parameter that holds a link's state (`?s=1.…`). */
export const LINK_PARAM = 's';

/** The diagrams a link can name. */
export const LINK_DIAGRAMS = ['sequence', 'pubsub', 'ratelimit'] as const;
export type LinkDiagram = (typeof LINK_DIAGRAMS)[number];

/** One intervention: an operator verb (a fault, a repair, a user's send) at a virtual time in ms. */
export interface LinkIntervention {
  readonly at: number;
  readonly op: Op;
}

/** Everything a link reproduces. */
export interface LinkState {
  /** A lab and its step, or null for free play. */
  readonly lab: { readonly id: string; readonly step: string | null } | null;
  /** A scenario of the catalog (a preset id, or `kernel-demo`). */
  readonly scenario: string;
  /** A JSON merge patch over the preset (a lab's variant, the person's overrides), or null. */
  readonly patch: Readonly<Record<string, unknown>> | null;
  readonly seed: number;
  /** Every intervention kept in the session, in time order. */
  readonly interventions: readonly LinkIntervention[];
  /** The playhead, virtual ms. */
  readonly nowMs: number;
  /** The open diagram. */
  readonly diagram: LinkDiagram;
  /** The followed message of the sequence diagram, or null (follow the newest). */
  readonly message: string | null;
  /** The rate-limit diagram's key, or null (the busiest). */
  readonly rateLimitKey: string | null;
  readonly theme: 'light' | 'dark' | null;
}

/** The state of a plain first visit: free play on group-chat, seed 42, at the start. */
export const DEFAULT_LINK_STATE: LinkState = {
  lab: null,
  scenario: 'group-chat',
  patch: null,
  seed: 42,
  interventions: [],
  nowMs: 0,
  diagram: 'sequence',
  message: null,
  rateLimitKey: null,
  theme: null,
};

/**
 * The wire form: short keys, defaults left out, an intervention as `[at, op]`. The field names
 * here are the format; renaming one is a new version.
 */
export interface LinkWire {
  lab?: string;
  step?: string;
  sc?: string;
  p?: Record<string, unknown>;
  seed?: number;
  iv?: [number, Op][];
  t?: number;
  d?: LinkDiagram;
  m?: string;
  k?: string;
  th?: 'light' | 'dark';
}

/** The wire form of a state (defaults are left out). */
export function toWire(state: LinkState): LinkWire {
  const w: LinkWire = {};
  if (state.lab !== null) {
    w.lab = state.lab.id;
    if (state.lab.step !== null) w.step = state.lab.step;
  }
  if (state.scenario !== DEFAULT_LINK_STATE.scenario) w.sc = state.scenario;
  if (state.patch !== null) w.p = { ...state.patch };
  if (state.seed !== DEFAULT_LINK_STATE.seed) w.seed = state.seed;
  if (state.interventions.length > 0) w.iv = state.interventions.map((iv) => [iv.at, iv.op]);
  if (state.nowMs !== 0) w.t = state.nowMs;
  if (state.diagram !== DEFAULT_LINK_STATE.diagram) w.d = state.diagram;
  if (state.message !== null) w.m = state.message;
  if (state.rateLimitKey !== null) w.k = state.rateLimitKey;
  if (state.theme !== null) w.th = state.theme;
  return w;
}

// ---- bytes ----------------------------------------------------------------------------------------

/** Bytes as base64url (no padding). */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) as bytes, or null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

const hasCompression = (): boolean => typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Errors surface on the reading side; the writer's own promises are caught so none goes unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`it unpacks to more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The longest link state read, in characters, and the most its JSON may unpack to, in bytes. */
export const MAX_LINK_CHARS = 64_000;
export const MAX_JSON_BYTES = 512_000;

/**
 * A state as a link's text (`1.` + base64url of deflate-raw JSON; `1u.` + base64url JSON where the
 * browser has no CompressionStream). Deterministic for a given state and compressor.
 *
 * @example
 * const code = await encodeLink({ ...DEFAULT_LINK_STATE, seed: 7 }); // '1.q1YqTi1…'
 */
export async function encodeLink(state: LinkState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(toWire(state)));
  if (!hasCompression()) return `${LINK_VERSION}u.${toBase64Url(json)}`;
  const packed = await pipe(json, new CompressionStream('deflate-raw'), Number.MAX_SAFE_INTEGER);
  return `${LINK_VERSION}.${toBase64Url(packed)}`;
}

/** The outcome of unpacking a link's text: the parsed JSON, or why it could not be read. */
export type Unpacked = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly why: string };

/**
 * A link's text as parsed JSON (no validation): checks the version, the alphabet, the size, and
 * unpacks. Never throws.
 */
export async function unpackLink(text: string): Promise<Unpacked> {
  if (text.length > MAX_LINK_CHARS) return { ok: false, why: `it is ${text.length} characters long, more than the ${MAX_LINK_CHARS} a link may have` };
  const dot = text.indexOf('.');
  const version = dot === -1 ? '' : text.slice(0, dot);
  const body = text.slice(dot + 1);
  if (version !== `${LINK_VERSION}` && version !== `${LINK_VERSION}u`) {
    const shown = /^[\w-]{1,12}$/.test(version) ? `version "${version}"` : 'no version this app knows';
    return { ok: false, why: `it has ${shown} (this app reads version ${LINK_VERSION})` };
  }
  const bytes = fromBase64Url(body);
  if (bytes === null) return { ok: false, why: 'its text is not base64url (letters, digits, "-" and "_")' };
  let json: Uint8Array;
  if (version === `${LINK_VERSION}u`) {
    if (bytes.length > MAX_JSON_BYTES) return { ok: false, why: `it is more than ${MAX_JSON_BYTES} bytes` };
    json = bytes;
  } else {
    if (!hasCompression()) return { ok: false, why: 'this browser cannot unpack compressed links (no DecompressionStream)' };
    try {
      json = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
    } catch (error) {
      return { ok: false, why: `it does not unpack (${error instanceof Error && /more than/.test(error.message) ? error.message : 'damaged or truncated'})` };
    }
  }
  let text8: string;
  try {
    text8 = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    return { ok: false, why: 'it does not unpack to text' };
  }
  try {
    return { ok: true, value: JSON.parse(text8) as unknown };
  } catch {
    return { ok: false, why: 'it does not unpack to JSON' };
  }
}
