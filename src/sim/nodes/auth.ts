/**
 * The auth service (ADR 0013): it logs users in and issues signed, expiring tokens that the
 * WebSocket servers verify on their own at every connect, without calling back here.
 *
 * - A login carries the user, a one-time nonce, the client's time and a proof: a keyed hash of
 *   those under the user's password. The password never travels, a proof made without it does not
 *   match (`badCredentials`), a login whose time is outside the accepted window is refused
 *   (`staleLogin`), and a nonce already seen inside that window is refused (`nonceReused`), so a
 *   captured login cannot be replayed, from its own client or from another.
 * - A token names the user, the client address the gateway saw the login come from, when it was
 *   issued, when it expires and a token id, signed with the service's signing key. A server
 *   refuses a token that is not one (`malformed`), whose signature does not match (`badSignature`),
 *   that has expired by virtual time (`expired`), that is another user's (`wrongUser`) or that is
 *   bound to another client connection (`wrongClient`: a stolen or replayed token).
 *
 * Signatures are a deterministic keyed 64-bit hash (two 32-bit FNV-1a lanes with Murmur3's
 * finalizer), not a cryptographic MAC: in the simulation nobody searches for collisions, and what
 * matters is that a token cannot be made or altered without the key. The keys are drawn at build
 * time from this node's fork of the seed, so a run is the same for the same seed.
 */
import type { AuthRefusal, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { fmix32 } from '../core/prng.ts';

/** The keys of a cluster's auth: the token signing key and the key passwords derive from. */
export interface AuthKeys {
  /** Signs and verifies tokens (shared with the WebSocket servers, which verify locally). */
  readonly signingKey: string;
  /** Each user's password is a keyed hash of their id under this key (see {@link passwordOf}). */
  readonly credentialKey: string;
}

/** Auth service configuration. */
export interface AuthConfig {
  readonly keys: AuthKeys;
  /** How long an issued token is valid. */
  readonly tokenLifetimeMs: number;
  /** A login's time may differ from the service's by at most this much (and its nonce is remembered that long). */
  readonly loginWindowMs: number;
}

/** Auth service state. */
export interface AuthState {
  readonly config: AuthConfig;
  /** `user|nonce` of logins seen recently. */
  seen: Set<string>;
  /** The same keys with when each may be forgotten, in arrival order (so in that order too). */
  expiries: [string, number][];
  /** Tokens issued so far (the token id). */
  issued: number;
}

const HEX = '0123456789abcdef';

function hex32(x: number): string {
  let s = '';
  for (let i = 28; i >= 0; i -= 4) s += HEX[(x >>> i) & 15];
  return s;
}

/**
 * A keyed 64-bit hash of `text` under `key`, as 16 hex digits: two FNV-1a lanes with different
 * primes over the key then the text, each finished with Murmur3's finalizer and mixed with the
 * other. Deterministic, with no `Math` beyond 32-bit integer arithmetic.
 *
 * @example
 * keyedHash64('k', 'u1') === keyedHash64('k', 'u1'); // true
 * keyedHash64('k', 'u1') === keyedHash64('k2', 'u1'); // false
 */
export function keyedHash64(key: string, text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  const input = key + '\u0000' + text;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const hi = fmix32((a ^ Math.imul(b, 0x27d4eb2f)) >>> 0);
  const lo = fmix32((b ^ Math.imul(a, 0x165667b1) ^ input.length) >>> 0);
  return hex32(hi) + hex32(lo);
}

/** A user's password in the model: derived from the credential key, so no table of a million is kept. */
export function passwordOf(keys: AuthKeys, user: string): string {
  return keyedHash64(keys.credentialKey, `password|${user}`);
}

/** The proof a login carries: a keyed hash of who, which nonce and when, under the password. */
export function loginProof(password: string, user: string, nonce: string, atMs: number): string {
  return keyedHash64(password, `login|${user}|${nonce}|${atMs}`);
}

/** What a token says. */
export interface TokenClaims {
  readonly user: string;
  /** The client address the token is bound to (`c-u1`, or `fleet-2#u7`). */
  readonly client: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  /** The token id. */
  readonly jti: number;
}

const TOKEN_PREFIX = 'st1';

function claimsText(c: TokenClaims): string {
  return `${TOKEN_PREFIX}.${c.user}.${c.client}.${c.issuedAtMs}.${c.expiresAtMs}.${c.jti}`;
}

/**
 * A signed token: `st1.<user>.<client>.<issuedAtMs>.<expiresAtMs>.<jti>.<signature>`.
 *
 * @example
 * signToken('key', { user: 'u1', client: 'c-u1', issuedAtMs: 0, expiresAtMs: 60_000, jti: 1 });
 * // 'st1.u1.c-u1.0.60000.1.<16 hex digits>'
 */
export function signToken(signingKey: string, claims: TokenClaims): string {
  const text = claimsText(claims);
  return `${text}.${keyedHash64(signingKey, text)}`;
}

/** The claims of a token, or null when it is not one of this shape (signature unchecked). */
export function readToken(token: string): (TokenClaims & { readonly signature: string }) | null {
  const parts = token.split('.');
  if (parts.length !== 7 || parts[0] !== TOKEN_PREFIX) return null;
  const [, user, client, iat, exp, jti, signature] = parts as [string, string, string, string, string, string, string];
  const issuedAtMs = Number(iat);
  const expiresAtMs = Number(exp);
  const id = Number(jti);
  if (user === '' || client === '' || !Number.isSafeInteger(issuedAtMs) || !Number.isSafeInteger(expiresAtMs) || !Number.isSafeInteger(id)) return null;
  return { user, client, issuedAtMs, expiresAtMs, jti: id, signature };
}

/**
 * Verifies a token locally (stateless: no call to the auth service) for a connect of `user` from
 * the client address `client` at virtual time `nowMs`: null when it is good, else why not.
 *
 * @example
 * const t = signToken('k', { user: 'u1', client: 'c-u1', issuedAtMs: 0, expiresAtMs: 1000, jti: 1 });
 * verifyToken('k', t, 'u1', 'c-u1', 500);  // null
 * verifyToken('k', t, 'u1', 'c-u3', 500);  // 'wrongClient'
 * verifyToken('k', t, 'u1', 'c-u1', 1000); // 'expired'
 */
export function verifyToken(signingKey: string, token: string, user: string, client: string, nowMs: number): AuthRefusal | null {
  const claims = readToken(token);
  if (claims === null) return 'malformed';
  if (keyedHash64(signingKey, claimsText(claims)) !== claims.signature) return 'badSignature';
  if (nowMs >= claims.expiresAtMs) return 'expired';
  if (claims.user !== user) return 'wrongUser';
  if (claims.client !== client) return 'wrongClient';
  return null;
}

type Fx = Effect<WireMsg, unknown>[];

export const auth: NodeBehavior<AuthState, WireMsg, unknown, AuthConfig> = {
  kind: 'auth',
  init: (config) => ({ config, seen: new Set(), expiries: [], issued: 0 }),
  handle(state, now, input) {
    const out: Fx = [];
    if (input.type !== 'message' || input.msg.type !== 'auth/login') return { state, effects: out };
    const m = input.msg;
    const reason = checkLogin(state, now, m.user, m.nonce, m.atMs, m.proof);
    if (reason !== null) {
      out.push(fx.trace('auth/loginRefused', { user: m.user, client: m.client, reason }));
      out.push(fx.send<WireMsg>(input.from, { type: 'auth/refused', client: m.client, user: m.user, reason }, 48));
      return { state, effects: out };
    }
    state.issued++;
    // A token's times are whole milliseconds (as a JWT's are whole seconds), though the clock
    // inside counts µs (ADR 0010).
    const issuedAtMs = Math.floor(now);
    const expiresAtMs = issuedAtMs + state.config.tokenLifetimeMs;
    const token = signToken(state.config.keys.signingKey, { user: m.user, client: m.client, issuedAtMs, expiresAtMs, jti: state.issued });
    out.push(fx.trace('auth/tokenIssued', { user: m.user, client: m.client, expiresAtMs }));
    out.push(fx.send<WireMsg>(input.from, { type: 'auth/issued', client: m.client, user: m.user, token, expiresAtMs }, 48 + token.length));
    return { state, effects: out };
  },
};

/** Null when a login is good (and its nonce is now used), else why it is refused. */
function checkLogin(state: AuthState, now: number, user: string, nonce: string, atMs: number, proof: string): AuthRefusal | null {
  const c = state.config;
  // Forget nonces whose logins could no longer pass the time check.
  let drop = 0;
  while (drop < state.expiries.length && (state.expiries[drop] as [string, number])[1] <= now) {
    state.seen.delete((state.expiries[drop] as [string, number])[0]);
    drop++;
  }
  if (drop > 0) state.expiries.splice(0, drop);
  if (typeof user !== 'string' || typeof nonce !== 'string' || typeof proof !== 'string' || !Number.isSafeInteger(atMs)) return 'badCredentials';
  if (proof !== loginProof(passwordOf(c.keys, user), user, nonce, atMs)) return 'badCredentials';
  if (Math.abs(now - atMs) > c.loginWindowMs) return 'staleLogin';
  const key = `${user}|${nonce}`;
  if (state.seen.has(key)) return 'nonceReused';
  state.seen.add(key);
  // A login with this nonce passes the time check until atMs + window at the latest.
  state.expiries.push([key, Math.max(now, atMs) + c.loginWindowMs + 1]);
  return null;
}
