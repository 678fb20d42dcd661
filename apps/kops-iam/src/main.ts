import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, loadPlans } from '@kops-iam/core';
import { App } from 'cdktf';
import { ClusterStack } from './cluster-stack';

/**
 * The cdktf app `cdktf synth` runs (see cdktf.json). It synthesizes the spec named by the
 * `KOPS_IAM_SPEC` environment variable, or the bundled example: the cluster spec of kops'
 * "IAM Roles" page. `KOPS_IAM_IMPORT=1` adds the `import` blocks of `kops-iam synth --import`.
 */
async function main(): Promise<void> {
  const spec = process.env.KOPS_IAM_SPEC ?? join(__dirname, '..', 'examples', 'seed.yaml');
  const result = await loadPlans([{ name: spec, text: readFileSync(spec, 'utf8') }], { featureFlags: process.env.KOPS_FEATURE_FLAGS });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!result.ok) {
    process.exitCode = 1;
    return;
  }
  const app = new App({ stackTraces: false });
  const importExisting = process.env.KOPS_IAM_IMPORT === '1';
  for (const { plan } of result.clusters) new ClusterStack(app, plan.cluster, plan, { importExisting });
  app.synth();
}

void main();
