import { formatDiagnostic, type Diagnostic } from '@kops-iam/core';
import type { CliIO } from './cli-io';

/** Prints every diagnostic, then a count of the errors when there are any. */
export function reportDiagnostics(diagnostics: readonly Diagnostic[], io: CliIO): void {
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) io.stderr(`kops-iam: ${errors} error${errors === 1 ? '' : 's'}; nothing written\n`);
}
