/**
 * How the UI reaches the simulation. The {@link Workbench} (the run, its interventions, the views
 * computed next to the trace) is synchronous; the UI sees it as an async client, either through a
 * Web Worker (the default, so a long run never blocks the page) or directly on the main thread
 * (the `?worker=0` fallback, the reference path for determinism tests, and where the app goes on
 * after a worker failed).
 *
 * A worker can fail: its script does not load, it runs out of memory, an error escapes it. Then
 * every call in flight and every later call is rejected with an error that says so (a Comlink
 * call would otherwise wait forever), and the client's failure listeners hear about it once, so
 * the app can offer to go on on the main thread.
 */
import * as Comlink from 'comlink';
import type { Workbench } from '../../workbench/index.ts';

/** Which thread runs the simulation. */
export type RuntimeKind = 'worker' | 'main-thread';

/** Every {@link Workbench} method, returning a promise. */
export type AsyncWorkbench = {
  [K in keyof Workbench]: Workbench[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** The app's handle on a simulation. Calls run one at a time, in the order they were made. */
export interface SimClient extends AsyncWorkbench {
  readonly runtime: RuntimeKind;
  /** The failure that stopped this client, or null while it works. */
  readonly failure: Error | null;
  /** Hears the client's failure (once); returns an unsubscribe function. */
  onFailure(listener: (error: Error) => void): () => void;
  /** Stops the worker (if any). The client must not be used afterwards. */
  dispose(): void;
}

/** Every method of the workbench, so that each runtime's client is built from one list. */
const METHODS = [
  'catalog',
  'open',
  'openTrace',
  'topology',
  'advance',
  'stepEvent',
  'seekTo',
  'operate',
  'sendAs',
  'membershipAs',
  'forget',
  'current',
  'sequence',
  'table',
  'eventAt',
  'rateLimit',
  'workedExample',
  'chat',
  'report',
  'exportTrace',
  'goals',
  'actualFlow',
  'actualComponents',
  'labMap',
  'labStep',
  'compare',
] as const satisfies readonly (keyof Workbench)[];

// Fails to compile when the Workbench gains a method the list above forgets.
type Missing = Exclude<keyof Workbench, (typeof METHODS)[number]>;
const everyMethodListed: [Missing] extends [never] ? true : Missing = true;
void everyMethodListed;

type Call = (name: keyof Workbench, args: unknown[]) => Promise<unknown>;

/** Human-readable name of a runtime, as the UI shows it. */
export function runtimeLabel(runtime: RuntimeKind): string {
  return runtime === 'worker' ? 'Worker' : 'Main thread';
}

/**
 * Builds a client whose calls run one at a time, in call order (the worker already handles
 * messages in order, but the main-thread fallback and callers that pause and resume a frame loop
 * should never see two calls in flight), and which rejects every pending and later call once the
 * runtime has failed.
 */
function client(runtime: RuntimeKind, call: Call, dispose: () => void): { client: SimClient; fail: (error: Error) => void } {
  let failure: Error | null = null;
  const listeners = new Set<(error: Error) => void>();
  const pending = new Set<(error: Error) => void>();
  let tail: Promise<unknown> = Promise.resolve();

  const fail = (error: Error): void => {
    if (failure !== null) return;
    failure = error;
    for (const reject of pending) reject(error);
    pending.clear();
    for (const listener of listeners) listener(error);
  };

  const enqueue = (name: keyof Workbench, args: unknown[]): Promise<unknown> => {
    if (failure !== null) return Promise.reject(failure);
    const result = new Promise<unknown>((resolve, reject) => {
      pending.add(reject);
      tail
        .then(() => (failure !== null ? Promise.reject(failure) : call(name, args)))
        .then(resolve, reject)
        .finally(() => pending.delete(reject));
    });
    tail = result.catch(() => undefined);
    return result;
  };

  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of METHODS) methods[name] = (...args: unknown[]) => enqueue(name, args);
  const out = {
    ...(methods as unknown as AsyncWorkbench),
    runtime,
    get failure() {
      return failure;
    },
    onFailure(listener: (error: Error) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose,
  };
  return { client: out, fail };
}

/** What made a worker fail, as a sentence. */
function workerError(event: Event | string): Error {
  if (typeof event === 'string') return new Error(`The simulation worker failed: ${event}`);
  const detail = event instanceof ErrorEvent && event.message !== '' ? event.message : event.type === 'messageerror' ? 'a message could not be read' : 'it stopped (its script did not load, or an error escaped it)';
  return new Error(`The simulation worker failed: ${detail}`);
}

/**
 * Runs the simulation in a module Web Worker and talks to it through Comlink. `worker` lets a
 * test hand in a worker of its own (one that fails on purpose).
 */
export function createWorkerClient(worker?: Worker): SimClient {
  // Vite bundles the worker only when `new URL(..., import.meta.url)` is written inline here.
  const w = worker ?? new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'sim' });
  const remote = Comlink.wrap<Workbench>(w);
  const made = client(
    'worker',
    (name, args) => (remote[name] as unknown as (...a: unknown[]) => Promise<unknown>)(...args),
    () => {
      remote[Comlink.releaseProxy]();
      w.terminate();
    },
  );
  const onError = (event: Event): void => {
    const error = workerError(event);
    console.error(error.message);
    made.fail(error);
  };
  w.addEventListener('error', onError);
  w.addEventListener('messageerror', onError);
  return made.client;
}

/**
 * Runs the simulation on the main thread. The workbench is imported lazily so that the main bundle
 * does not carry a second copy of it when the worker is in use.
 */
export function createMainThreadClient(): SimClient {
  let instance: Promise<Workbench> | undefined;
  const sim = (): Promise<Workbench> => {
    instance ??= import('../../workbench/index.ts').then(({ createWorkbench }) => createWorkbench());
    return instance;
  };
  return client('main-thread', async (name, args) => ((await sim())[name] as (...a: unknown[]) => unknown)(...args), () => undefined).client;
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
