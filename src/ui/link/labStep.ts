/**
 * A link into a lab opens its step (ADR 0027) through the lab panel's own progress storage.
 */
import { PROGRESS_KEY, type ProgressStorage } from '../lab/progress.ts';
import { isRecord, recordOrNull } from '../record.ts';

/**
 * Lab progress storage that opens a link's step once: the first read of the saved progress names
 * that step (and the link's seed) for this lab; everything else goes to the browser's storage.
 */
export function linkProgressStorage(real: ProgressStorage | null, labId: string, stepIndex: number, seed: number): ProgressStorage {
  let once = true;
  return {
    getItem(key) {
      const text = real?.getItem(key) ?? null;
      if (key !== PROGRESS_KEY || !once) return text;
      once = false;
      let all: Record<string, unknown> = {};
      try {
        const parsed: unknown = text === null ? {} : JSON.parse(text);
        if (isRecord(parsed)) all = parsed;
      } catch {
        // Unreadable progress: the lab starts from the link's step alone.
      }
      const entry = all[labId];
      const kept = recordOrNull(entry) ?? {};
      // The link's step wins over the saved one, whichever way it was kept (by id or by place).
      return JSON.stringify({ ...all, [labId]: { steps: {}, ...kept, stepIndex, stepId: undefined, seed } });
    },
    setItem(key, value) {
      real?.setItem(key, value);
    },
  };
}
