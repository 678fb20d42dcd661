/** Where something is in an input file; line and column are 1-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** How bad a diagnostic is: errors stop the run, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found in the input, with where it is and what to do about it. */
export interface Diagnostic extends SourcePosition {
  readonly severity: Severity;
  /** The YAML path of the offending node, e.g. `spec.additionalPolicies.node[0].Action`. */
  readonly path: string;
  readonly message: string;
}

/** Collects diagnostics; errors are values until the CLI prints them. */
export class Diagnostics {
  private readonly items: Diagnostic[] = [];
  // Counted as they come: checks ask for the count once per document and per cluster.
  private errors = 0;

  /** Records an error at a position. */
  error(at: SourcePosition, path: string, message: string): void {
    this.errors += 1;
    this.items.push({ severity: 'error', file: at.file, line: at.line, col: at.col, path, message });
  }

  /** Records a warning at a position. */
  warning(at: SourcePosition, path: string, message: string): void {
    this.items.push({ severity: 'warning', file: at.file, line: at.line, col: at.col, path, message });
  }

  /** Adds diagnostics found elsewhere. */
  addAll(more: readonly Diagnostic[]): void {
    for (const d of more) {
      if (d.severity === 'error') this.errors += 1;
      this.items.push(d);
    }
  }

  /** How many errors were recorded so far. */
  get errorCount(): number {
    return this.errors;
  }

  /** True when at least one error was recorded. */
  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** The diagnostics in file, line, column order, duplicates removed. */
  list(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }
}

/**
 * Sorts diagnostics by file, line and column and drops exact repeats. Diagnostics at the
 * same place keep the order they were found in (the sort is stable), which is the order
 * the checks run in: the most basic problem first.
 */
export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const sorted = [...items].sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.col - b.col);
  for (const d of sorted) {
    const key = formatDiagnostic(d);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Formats a diagnostic the way compilers do: `FILE:LINE:COL: error: PATH: MESSAGE`. */
export function formatDiagnostic(d: Diagnostic): string {
  const path = d.path === '' ? '' : `${d.path}: `;
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${path}${d.message}`;
}
