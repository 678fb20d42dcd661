// Small kops manifests for the construct's tests, in both generations, and their plans
// through @kops-iam/core's loadPlans (the way the command gets them).
import { loadPlans, type IamPlan } from '@kops-iam/core';

/** A legacy-generation Cluster (`kops/v1alpha2`, the seed's era); `extra` is spliced into its spec, indented by 2. */
export function legacyCluster(name: string, extra = '', zone = 'eu-central-1a'): string {
  return cluster('kops/v1alpha2', name, extra, zone);
}

/** A strict-generation Cluster (`kops.k8s.io/v1alpha2`, as today's kops prints it). */
export function strictCluster(name: string, extra = '', zone = 'eu-central-1a'): string {
  return cluster('kops.k8s.io/v1alpha2', name, extra, zone);
}

function cluster(apiVersion: string, name: string, extra: string, zone: string): string {
  const head = `apiVersion: ${apiVersion}\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:\n  cloudProvider: aws\n`;
  return `${head}  subnets:\n  - name: ${zone}\n    zone: ${zone}\n${extra}\n`;
}

/** An InstanceGroup of a cluster; `extra` is spliced into its spec. */
export function instanceGroup(clusterName: string, name: string, role: string, extra = '', apiVersion = 'kops.k8s.io/v1alpha2'): string {
  const meta = `metadata:\n  name: ${name}\n  labels:\n    kops.k8s.io/cluster: ${clusterName}\n`;
  return `apiVersion: ${apiVersion}\nkind: InstanceGroup\n${meta}spec:\n  role: ${role}\n  subnets:\n  - eu-central-1a\n${extra}\n`;
}

/** Documents as one YAML stream. */
export function yamlStream(...docs: string[]): string {
  return docs.join('---\n');
}

/**
 * The policy kops' irsa and digit cases attach (in partition aws, not aws-test), and its
 * FNV-1a 32 hash, the suffix of the attachment's label (kops' aws-test ARN gives 3197825879).
 */
export const SA_POLICY_ARN = 'arn:aws:iam::123456789012:policy/UsersManageOwnCredentials';
export const SA_POLICY_FNV = 3186075376;

/**
 * The spec lines of kops' irsa case (strict): the OIDC provider through an S3 discovery
 * store, and three service accounts (policyARNs, a wildcard namespace, an inline policy).
 */
export function irsaSpec(extra = ''): string {
  return [
    '  dnsZone: Z1D633PJN98FT9',
    '  serviceAccountIssuerDiscovery:',
    '    enableAWSOIDCProvider: true',
    '    discoveryStore: s3://discovery-bucket/oidc',
    '    additionalAudiences: [sts.amazonaws.com]',
    '  iam:',
    '    serviceAccountExternalPermissions:',
    '    - {name: myserviceaccount, namespace: default, aws: {policyARNs: [' + SA_POLICY_ARN + ']}}',
    '    - {name: myserviceaccount, namespace: "test-*", aws: {policyARNs: [' + SA_POLICY_ARN + ']}}',
    '    - name: myotherserviceaccount',
    '      namespace: myapp',
    '      aws:',
    '        inlinePolicy: \'[{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}]\'',
    extra,
  ].join('\n');
}

/** The plans of one YAML text; throws when the input is not valid. */
export async function plansOf(text: string, featureFlags?: string): Promise<IamPlan[]> {
  const r = await loadPlans([{ name: 'in.yaml', text }], featureFlags === undefined ? {} : { featureFlags });
  if (!r.ok) throw new Error(`invalid test input: ${r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  return r.clusters.map((c) => c.plan);
}

/** The plan of one cluster. */
export async function planOf(text: string, featureFlags?: string): Promise<IamPlan> {
  const plans = await plansOf(text, featureFlags);
  if (plans.length !== 1) throw new Error(`expected one cluster, got ${plans.length}`);
  return plans[0] as IamPlan;
}
