import type { DiagnosticCode } from './codes';

/** Where something is in an input file; line and column are 1-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** Where something is written and its YAML path: what a message about it needs. */
export interface Placed {
  readonly pos: SourcePosition;
  /** The YAML path, e.g. `spec.additionalPolicies.node[0].Action`; empty for a whole document. */
  readonly path: string;
}

/** How bad a diagnostic is: errors stop the run, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found in the input: its stable code, where it is, and what to do about it. */
export interface Diagnostic extends SourcePosition {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly path: string;
  readonly message: string;
}

/**
 * Formats a diagnostic the way compilers do: `FILE:LINE:COL: error: PATH: MESSAGE`, on one
 * line whatever the manifest holds: control characters, line and paragraph separators in
 * quoted input are written as escapes, so that no input can fake a diagnostic line or send
 * escape codes to a terminal.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const path = d.path === '' ? '' : `${printable(d.path)}: `;
  return `${printable(d.file)}:${d.line}:${d.col}: ${d.severity}: ${path}${printable(d.message)}`;
}

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text with its control characters written as escapes (`\n`, `\u001b`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Sorts diagnostics by file, line and column and drops exact repeats. Diagnostics at the
 * same place keep the order they were found in (the sort is stable), which is the order
 * the checks run in: the most basic problem first.
 */
export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const sorted = [...items].sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.col - b.col);
  for (const d of sorted) {
    const key = formatDiagnostic(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
