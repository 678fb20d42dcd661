// The README's "Diagnostic codes" table is generated from DIAGNOSTIC_CODES: every code, its kind
// and its summary, in the table's order. This keeps the two from drifting apart: a code added,
// removed, reordered or reworded in packages/core/src/diagnostics/codes.ts must reach the README.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES } from '@kops-iam/core';
import { describe, expect, it } from 'vitest';

const README = join(__dirname, '..', '..', 'README.md');
const HEADING = '## Diagnostic codes';

/** A summary as a Markdown table cell: characters that would format or split the cell are escaped. */
function cell(text: string): string {
  return text.replace(/[\\`*_|<>[\]]/g, (c) => `\\${c}`);
}

/** The table rows the README must hold, in order. */
function expectedRows(): string[] {
  return Object.entries(DIAGNOSTIC_CODES).map(([code, { kind, summary }]) => `| \`${code}\` | ${kind} | ${cell(summary)} |`);
}

/** The lines of the README's "Diagnostic codes" section (up to the next second-level heading). */
function section(readme: string): string[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(HEADING);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The section's table rows: every table line but the header and the delimiter row. */
function tableRows(lines: readonly string[]): string[] {
  const table = lines.filter((l) => l.startsWith('|'));
  expect(table.slice(0, 2), 'the table starts with its header').toEqual(['| Code | Kind | Summary |', '|---|---|---|']);
  return table.slice(2);
}

describe('README', () => {
  const readme = readFileSync(README, 'utf8');

  it(`has a "${HEADING}" section with one table`, () => {
    const lines = section(readme);
    expect(lines.length, `README.md has no line '${HEADING}'`).toBeGreaterThan(0);
    // One table: its lines are consecutive.
    const first = lines.findIndex((l) => l.startsWith('|'));
    const rows = lines.filter((l) => l.startsWith('|')).length;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines.slice(first, first + rows).every((l) => l.startsWith('|'))).toBe(true);
  });

  it('lists exactly the codes of DIAGNOSTIC_CODES, in order, with their kind and summary', () => {
    expect(tableRows(section(readme))).toEqual(expectedRows());
  });

  it('names every code once, and DIAGNOSTIC_CODES is not empty', () => {
    const codes = tableRows(section(readme)).map((row) => /^\| `(KI\d{3})` \|/.exec(row)?.[1]);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(Object.keys(DIAGNOSTIC_CODES));
  });
});
