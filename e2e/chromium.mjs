// Debian's Chromium, shared by the end-to-end scripts and Vitest's browser projects: Playwright
// cannot download a browser of its own on these machines, so every launch points at the system
// binary, and the flags keep the headless browser quiet and offline.

/** The system browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for every launch. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
