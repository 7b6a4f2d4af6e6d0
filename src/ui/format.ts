/** Formatting helpers shared by the UI's readouts. They never compute simulation facts. */

/** Virtual time in integer ms, shown as seconds with millisecond precision: `1234` → `1.234 s`. */
export function formatVirtualTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** A count with thin-space digit groups, independent of the browser's locale: `12345` → `12 345`. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** Parses a seed as typed: an unsigned 32-bit integer, or null when it is not one. */
export function parseSeed(text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n <= 0xffff_ffff ? n : null;
}

/** A playback speed: `0.01` → `0.01×`, `20` → `20×`. */
export function formatSpeed(speed: number): string {
  return `${speed < 1 ? String(Number(speed.toPrecision(2))) : String(speed)}×`;
}

/** A short time for labels and ticks: `65000` → `65 s`, `1234` → `1.234 s`, `800` → `800 ms`. */
export function formatShortTime(ms: number): string {
  if (Math.abs(ms) < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')} s`;
}

/** Cuts text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
