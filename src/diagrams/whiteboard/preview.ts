/**
 * The student's Mermaid text as the live preview draws it: every label (after a message's or a
 * note's `:`, after a participant's `as`) has its HTML metacharacters turned into Mermaid's entity
 * codes, so `<b>` or `<script>` reads as those characters instead of becoming markup, and
 * `%%{init}%%` directives are dropped, so a paste cannot reconfigure the renderer. Everything else
 * is kept as written, so the preview is the student's own diagram.
 */

/** Mermaid's entity codes for the characters that would otherwise be HTML. */
function labelAsText(label: string): string {
  return label.replace(/[<>&"]/g, (c) => (c === '<' ? '#lt;' : c === '>' ? '#gt;' : c === '&' ? '#amp;' : '#quot;'));
}

/**
 * The preview's source for a student's text.
 *
 * @example
 * previewSource('sequenceDiagram\n  A->>B: <b>hi</b>'); // 'sequenceDiagram\n  A->>B: #lt;b#gt;hi#lt;/b#gt;'
 */
export function previewSource(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .filter((line) => !line.trimStart().startsWith('%%{'))
    .map((line) => {
      const decl = /^(\s*(?:participant|actor)\s+.+?\s+as\s+)(.*)$/i.exec(line);
      if (decl !== null) {
        const label = (decl[2] ?? '').trim();
        // A quoted label keeps its quotes as Mermaid's delimiters; its inside is text.
        const quoted = label.length >= 2 && label.startsWith('"') && label.endsWith('"');
        return `${decl[1] ?? ''}${quoted ? `"${labelAsText(label.slice(1, -1))}"` : labelAsText(label)}`;
      }
      if (/^\s*(participant|actor)\b/i.test(line) || line.trimStart().startsWith('%%')) return line;
      const colon = line.indexOf(':');
      if (colon < 0) return line;
      return line.slice(0, colon + 1) + labelAsText(line.slice(colon + 1));
    })
    .join('\n');
}
