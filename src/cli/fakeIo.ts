/**
 * A fake world for the CLI's tests: files in a map, output captured, writes kept in a map, and one
 * directory (`/read-only/`) that refuses them with EACCES. `main()` runs in-process against it.
 */
import { main, type CliIo } from './sim.ts';

/** What a run printed and wrote. */
export interface FakeOutput {
  stdout: string;
  stderr: string;
  readonly written: Map<string, string>;
}

/** What the fake says about the terminal: whether stderr is one, and a clock (for progress lines). */
export type FakeTerminal = Pick<CliIo, 'stderrIsTTY' | 'now'>;

/** An `io` over `files` (path → text) and the output it collects. */
export function fakeIo(files: Readonly<Record<string, string>> = {}, extra: FakeTerminal = {}): { io: CliIo; out: FakeOutput } {
  const out: FakeOutput = { stdout: '', stderr: '', written: new Map() };
  const io: CliIo = {
    ...extra,
    stdout: (s) => {
      out.stdout += s;
    },
    stderr: (s) => {
      out.stderr += s;
    },
    readFile: async (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return text;
    },
    writeFile: async (p, data) => {
      if (p.startsWith('/read-only/')) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      out.written.set(p, data);
    },
  };
  return { io, out };
}

/**
 * Runs `sim <argv>` in a fresh fake world and returns the exit code and the output.
 *
 * @example
 * const { code, stdout } = await runSim(['run', '--scenario', 'private-chat', '--seed', '1']);
 */
export async function runSim(argv: readonly string[], files: Readonly<Record<string, string>> = {}, terminal: FakeTerminal = {}): Promise<FakeOutput & { code: number }> {
  const { io, out } = fakeIo(files, terminal);
  const code = await main(argv, io);
  return { code, ...out };
}
