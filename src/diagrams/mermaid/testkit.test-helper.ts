/**
 * Test-only helpers (imported by the *.test.ts files here, never by the layer's code): loading
 * Mermaid in the diagram tests. Mermaid 11's sequence parser runs in Node without a DOM
 * (only titles need one: they go through DOMPurify while parsing), so no shim is loaded.
 *
 * The layer's code may not import Mermaid (it renders in the UI); tests and their helpers
 * (`*.test-helper.ts`) may, to check the generated text with Mermaid's own parser.
 */
/** The slice of Mermaid's API the tests use. */
export interface MermaidForTests {
  parse(text: string): Promise<unknown>;
  readonly mermaidAPI: {
    getDiagramFromText(text: string): Promise<{
      readonly db: {
        getMessages(): readonly { readonly message: string; readonly type: number }[];
        getActors(): ReadonlyMap<string, { readonly description: string }>;
      };
    }>;
  };
}

let loaded: Promise<MermaidForTests> | undefined;

/** Mermaid, loaded once per test file. */
export function loadMermaid(): Promise<MermaidForTests> {
  // `parse` registers the diagram types on first use; `getDiagramFromText` alone does not.
  loaded ??= import('mermaid').then(async (m) => {
    const mermaid = m.default as unknown as MermaidForTests;
    await mermaid.parse('sequenceDiagram\n');
    return mermaid;
  });
  return loaded;
}

/** Parses with Mermaid and returns the parse error's message, or null when the text is accepted. */
export async function parseError(text: string): Promise<string | null> {
  const mermaid = await loadMermaid();
  try {
    await mermaid.parse(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Mermaid's entity placeholders (`ﬂ°°35¶ß`, `ﬂ°quot¶ß`) decoded back to characters: what a reader
 * will see once the diagram is rendered.
 */
export function decodeMermaidText(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return text
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (whole, name: string) => named[name] ?? whole);
}
