/**
 * The report's CSV layout (`flatCsv`): every scalar of the JSON report is one `field,value` row,
 * read back to the same value, with RFC 4180 quoting for text full of commas, quotes and line
 * breaks (a violation's sentence can quote a user's message).
 */
import { describe, expect, test } from 'vitest';
import { parseScenario, presetById, runScenario } from '../sim/index.ts';
import { csvField, flatCsv } from './export.ts';

/** A small RFC 4180 reader: rows of fields. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

/** The scalar at a dotted path of a JSON value. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], value);
}

describe('flatCsv', () => {
  // Proves the documented example, quoting included.
  test('the documented layout', () => {
    expect(flatCsv({ counts: { sent: 3 }, latencyMs: null, violations: [{ message: 'u2 saw m5, then m4' }] })).toBe(
      'field,value\r\ncounts.sent,3\r\nlatencyMs,\r\nviolations.0.message,"u2 saw m5, then m4"\r\n',
    );
  });

  // Proves quoting: commas, quotes, CR/LF and Mermaid/HTML characters survive a round trip.
  test('text with CSV, HTML and Mermaid metacharacters reads back unchanged', () => {
    const nasty = 'a,"b"\r\n<script>x</script> -->> ;#;';
    expect(csvField('plain')).toBe('plain');
    expect(readCsv(flatCsv({ text: nasty }))).toEqual([['field', 'value'], ['text', nasty]]);
  });

  // Proves, on a real report with violations, that every row reads back to the JSON's own value
  // and that every scalar of the JSON has its row.
  test('a real report: every scalar is one row with its value', () => {
    const parsed = parseScenario(presetById('reordering-without-sequence')?.scenario);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const { report } = runScenario(parsed.scenario, { seed: 1 });
    expect(report.violations.length).toBeGreaterThan(0);
    const json = JSON.parse(JSON.stringify(report)) as unknown;
    const rows = readCsv(flatCsv(report));
    expect(rows[0]).toEqual(['field', 'value']);
    const body = rows.slice(1);
    for (const [field, value] of body) {
      const v = at(json, field as string);
      expect(value, field).toBe(v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    }
    let scalars = 0;
    const count = (v: unknown): void => {
      if (v !== null && typeof v === 'object') Object.values(v).forEach(count);
      else scalars++;
    };
    count(json);
    expect(body).toHaveLength(scalars);
    expect(body.map((r) => r[0])).toContain('counts.outOfOrderShown');
  });
});
