import type { DiagnosticCode } from './codes';
import { printable, type Diagnostic, type Placed } from './diagnostic';

/**
 * Where checks put the problems they find. Checks return what they read (or undefined
 * when they could not); the report only collects, it decides nothing.
 */
export class Report {
  private readonly items: Diagnostic[] = [];
  private errors = false;

  /** Records an error: the run fails, nothing is written. */
  error(code: DiagnosticCode, at: Placed, message: string): void {
    this.errors = true;
    this.items.push({ code, severity: 'error', ...at.pos, path: printable(at.path), message: printable(message) });
  }

  /** Records a warning: printed, the run goes on. */
  warning(code: DiagnosticCode, at: Placed, message: string): void {
    this.items.push({ code, severity: 'warning', ...at.pos, path: printable(at.path), message: printable(message) });
  }

  /** Adds diagnostics found elsewhere (another thread's report). */
  addAll(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) {
      this.items.push(d);
      this.errors ||= d.severity === 'error';
    }
  }

  /** Adds what another report collected. */
  merge(other: Report): void {
    for (const d of other.items) this.items.push(d);
    this.errors ||= other.errors;
  }

  /** True when an error was recorded. */
  get hasErrors(): boolean {
    return this.errors;
  }

  /** Everything recorded, in the order found. */
  get diagnostics(): readonly Diagnostic[] {
    return this.items;
  }
}
