/**
 * The lab's worked example of a sliding-window rate limiter, as data: a limit of 5 requests per
 * 60 s, and requests at 0, 15, 20, 35, 55, 60 and 65 s (the one at 60 s is denied, the one at
 * 65 s allowed once the request at 0 s has left the window). A tiny module of its own so the app
 * can name the times without loading the simulation.
 */
export const LAB_EXAMPLE_TIMES_MS: readonly number[] = [0, 15, 20, 35, 55, 60, 65].map((s) => s * 1000);
export const LAB_EXAMPLE_SPEC = { algorithm: 'sliding-log', limit: 5, windowMs: 60_000 } as const;
