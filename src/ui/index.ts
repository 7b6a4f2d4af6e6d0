/**
 * The UI layer's entry for benchmarks and scripts (the app itself starts at `src/main.tsx`): the
 * page's sweep pool and the trade-off slider, as the lab framework hosts them.
 */
export * from './components/tradeoff/index.ts';
