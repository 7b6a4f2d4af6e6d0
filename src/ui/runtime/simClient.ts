/**
 * How the UI reaches the simulation. The kernel's {@link SimApi} and the session around it (the
 * {@link Workbench}: interventions on the timeline, diagram data computed next to the trace) are
 * synchronous; the UI sees them as an async client, either through a Web Worker (the default, so a
 * long run never blocks the page) or directly on the main thread (the `?worker=0` fallback, and the
 * reference path for determinism tests).
 */
import * as Comlink from 'comlink';
import type { Workbench } from './workbench.ts';

/** Which thread runs the simulation. */
export type RuntimeKind = 'worker' | 'main-thread';

/** Every {@link Workbench} method (so every `SimApi` method too), returning a promise. */
export type AsyncSimApi = {
  [K in keyof Workbench]: Workbench[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** The app's handle on a simulation. Calls run one at a time, in the order they were made. */
export interface SimClient extends AsyncSimApi {
  readonly runtime: RuntimeKind;
  /** Stops the worker (if any). The client must not be used afterwards. */
  dispose(): void;
}

/** Every method of the API, so that each runtime's client is built from one list. */
const METHODS = [
  // The simulation's own API.
  'scenarios',
  'load',
  'topology',
  'runFor',
  'step',
  'seek',
  'operate',
  'sendAs',
  'events',
  'report',
  'userView',
  // The session.
  'catalog',
  'open',
  'advance',
  'stepEvent',
  'seekTo',
  'intervene',
  'say',
  'forget',
  'current',
  'sequence',
  'table',
  'eventAt',
  'rateLimit',
  'workedExample',
  'chat',
] as const satisfies readonly (keyof Workbench)[];

// Fails to compile when the Workbench gains a method the list above forgets.
type Missing = Exclude<keyof Workbench, (typeof METHODS)[number]>;
const everyMethodListed: [Missing] extends [never] ? true : Missing = true;
void everyMethodListed;

/** Builds an async API whose methods all forward to `call(name, args)`. */
function forwarding(call: (name: keyof Workbench, args: unknown[]) => Promise<unknown>): AsyncSimApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of METHODS) api[name] = (...args: unknown[]) => call(name, args);
  return api as unknown as AsyncSimApi;
}

/** Human-readable name of a runtime, as the UI shows it. */
export function runtimeLabel(runtime: RuntimeKind): string {
  return runtime === 'worker' ? 'Worker' : 'Main thread';
}

/**
 * Wraps an async API so each call starts only after the previous one settled. The worker already
 * handles messages in order, but the main-thread fallback and callers that pause and resume a
 * frame loop should never see two calls in flight, whichever runtime is used.
 */
function serialized(api: AsyncSimApi, runtime: RuntimeKind, dispose: () => void): SimClient {
  let tail: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(call: () => Promise<T>): Promise<T> => {
    const result = tail.then(call);
    tail = result.catch(() => undefined);
    return result;
  };
  const calls = forwarding((name, args) => enqueue(() => (api[name] as (...a: unknown[]) => Promise<unknown>)(...args)));
  return { ...calls, runtime, dispose };
}

/** Runs the simulation in a module Web Worker and talks to it through Comlink. */
export function createWorkerClient(): SimClient {
  // Vite bundles the worker only when `new URL(..., import.meta.url)` is written inline here.
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'sim' });
  const remote = Comlink.wrap<Workbench>(worker);
  // A worker that fails to load would otherwise leave every call pending forever with no trace.
  worker.addEventListener('error', (event) => {
    console.error('Simulation worker failed:', event.message || event);
  });
  const api = forwarding((name, args) => (remote[name] as unknown as (...a: unknown[]) => Promise<unknown>)(...args));
  return serialized(api, 'worker', () => {
    remote[Comlink.releaseProxy]();
    worker.terminate();
  });
}

/**
 * Runs the simulation on the main thread. The workbench is imported lazily so that the main bundle
 * does not carry a second copy of it when the worker is in use.
 */
export function createMainThreadClient(): SimClient {
  let instance: Promise<Workbench> | undefined;
  const sim = (): Promise<Workbench> => {
    instance ??= import('./workbench.ts').then(({ createWorkbench }) => createWorkbench());
    return instance;
  };
  const api = forwarding(async (name, args) => ((await sim())[name] as (...a: unknown[]) => unknown)(...args));
  return serialized(api, 'main-thread', () => undefined);
}

/** True when the page asks for the main-thread runtime with `?worker=0`. */
export function workerDisabledByUrl(search: string = globalThis.location?.search ?? ''): boolean {
  return new URLSearchParams(search).get('worker') === '0';
}

/** Picks the worker when the platform has one, unless the URL says `?worker=0`. */
export function createSimClient(): SimClient {
  if (typeof Worker !== 'undefined' && !workerDisabledByUrl()) return createWorkerClient();
  return createMainThreadClient();
}
