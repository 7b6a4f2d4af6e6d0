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
