import { loadPlans, type InputFile } from '@kops-iam/core';
import type { CliIO } from './cli-io';
import { reportDiagnostics } from './report-diagnostics';

/** `kops-iam validate`: checks the inputs and names the valid clusters; writes nothing. */
export async function validateCommand(inputs: readonly InputFile[], io: CliIO): Promise<number> {
  const result = await loadPlans(inputs, { featureFlags: io.env.KOPS_FEATURE_FLAGS });
  reportDiagnostics(result.diagnostics, io);
  if (!result.ok) return 1;
  const names = result.clusters.map((c) => c.plan.cluster);
  // A long list says how many instead of naming thousands of clusters on one line.
  const list = names.length <= 5 ? names.join(', ') : `${names[0]}, … (${names.length})`;
  io.stdout(`${names.length} cluster${names.length === 1 ? '' : 's'} valid: ${list}\n`);
  return 0;
}
