// Test helpers: plans from small YAML strings, through @kops-iam/core's public API.
import { loadPlans, type IamPlan } from '@kops-iam/core';

/** A minimal v1alpha2 Cluster document; `extra` is spliced into its spec (indented by 2). */
export function clusterYaml(name: string, extra = '', zone = 'eu-central-1a'): string {
  return (
    `apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:\n  cloudProvider: aws\n` +
    `  subnets:\n  - name: ${zone}\n    zone: ${zone}\n${extra}\n`
  );
}

/** The plans of one YAML text; throws when the input is not valid. */
export async function plansOf(text: string, featureFlags?: string): Promise<IamPlan[]> {
  const r = await loadPlans([{ name: 'in.yaml', text }], featureFlags === undefined ? {} : { featureFlags });
  if (!r.ok) throw new Error(`invalid test input: ${JSON.stringify(r.diagnostics)}`);
  return r.clusters.map((c) => c.plan);
}

/** The plan of one cluster. */
export async function planOf(text: string, featureFlags?: string): Promise<IamPlan> {
  const plans = await plansOf(text, featureFlags);
  if (plans.length !== 1) throw new Error(`expected one cluster, got ${plans.length}`);
  return plans[0]!;
}

/** Every key of a JSON value, recursively. */
export function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
}
