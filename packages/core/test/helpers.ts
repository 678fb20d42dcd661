// Test helpers: inputs built from small YAML strings through the package's own parsers, and
// small readers of plans. Nothing here re-implements production logic.
import { expect } from 'vitest';
import type { Diagnostic } from '../src/diagnostics/diagnostic';
import type { DiagnosticCode } from '../src/diagnostics/codes';
import { Report } from '../src/diagnostics/report';
import { readYamlFile } from '../src/input/yaml-file';
import type { YamlNode } from '../src/input/yaml-node';
import { loadPlans, type LoadResult, type PlannedCluster } from '../src/load';
import type { InstanceRoleKind } from '../src/cluster/roles';
import type { ExistingRole, IamPlan, ManagedRole } from '../src/plan/plan';
import { renderPolicyText } from '../src/policy/render';
import type { PolicyDocument, Ref } from '../src/policy/statement';

/** The apiVersion of today's kops (strict IAM) and one of the seed's era (legacy IAM). */
export const STRICT = 'kops.k8s.io/v1alpha2';
export const LEGACY = 'kops/v1alpha2';

/** The root node of the first document of a YAML text, and the report its parse wrote to. */
export function yamlRoot(text: string, name = 'test.yaml'): { root: YamlNode; report: Report } {
  const report = new Report();
  // Spread: every document is read (readYamlFile may hand them out one at a time).
  const docs = [...readYamlFile({ name, text }, report)];
  const first = docs[0];
  if (first === undefined) throw new Error(`no YAML document in: ${text}\n${JSON.stringify(report.diagnostics)}`);
  return { root: first.root, report };
}

/** The `spec` node of a YAML text holding `spec:` at the top, and a fresh report for the reader under test. */
export function specOf(text: string): { spec: YamlNode; report: Report } {
  const { root, report } = yamlRoot(text);
  expect(report.diagnostics).toEqual([]);
  return { spec: root.get('spec'), report: new Report() };
}

/** `spec:` followed by the given lines (each already indented by two), as specOf reads it. */
export function specLines(...lines: string[]): { spec: YamlNode; report: Report } {
  return specOf(`spec:\n${lines.join('\n')}\n`);
}

/** Only the errors of a diagnostics list. */
export function errorsOf(list: readonly Diagnostic[]): Diagnostic[] {
  return list.filter((d) => d.severity === 'error');
}

/** Only the warnings of a diagnostics list. */
export function warningsOf(list: readonly Diagnostic[]): Diagnostic[] {
  return list.filter((d) => d.severity === 'warning');
}

/** The codes of a diagnostics list, in order. */
export function codesOf(list: readonly Diagnostic[]): DiagnosticCode[] {
  return list.map((d) => d.code);
}

/**
 * A minimal Cluster document; `extra` is spliced into its spec (indented by 2) from line 10 on.
 * The default apiVersion is today's (strict IAM); pass LEGACY for the seed's broad policies.
 */
export function clusterYaml(name: string, extra = '', zone = 'eu-central-1a', apiVersion = STRICT): string {
  return [
    `apiVersion: ${apiVersion}`,
    'kind: Cluster',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  cloudProvider: aws',
    '  subnets:',
    `  - name: ${zone}`,
    `    zone: ${zone}`,
    extra,
  ].join('\n');
}

/** clusterYaml with the seed era's apiVersion: the legacy generation. */
export function legacyClusterYaml(name: string, extra = '', zone = 'eu-central-1a'): string {
  return clusterYaml(name, extra, zone, LEGACY);
}

/** An InstanceGroup document with a role, optionally labelled with its cluster, and extra spec lines (indented by 2). */
export function instanceGroupYaml(name: string, role: string, cluster?: string, ...spec: string[]): string {
  const labels = cluster === undefined ? '' : `\n  labels:\n    kops.k8s.io/cluster: ${cluster}`;
  const more = spec.length === 0 ? '' : `${spec.join('\n')}\n`;
  return `apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\nmetadata:\n  name: ${name}${labels}\nspec:\n  role: ${role}\n${more}`;
}

/** loadPlans over one file of YAML text. */
export function load(text: string, featureFlags?: string): Promise<LoadResult> {
  return loadPlans([{ name: 'in.yaml', text }], featureFlags === undefined ? {} : { featureFlags });
}

/** Loads one file that must give exactly one valid cluster, and returns it. */
export async function loadOne(text: string, featureFlags?: string): Promise<PlannedCluster> {
  const r = await load(text, featureFlags);
  const only = r.clusters[0];
  if (!r.ok || r.clusters.length !== 1 || only === undefined) {
    throw new Error(`expected one valid cluster, got ${r.clusters.length}: ${JSON.stringify(r.diagnostics, null, 1)}`);
  }
  return only;
}

/** The managed role of an instance role kind; fails the test when there is none. */
export function instanceRole(plan: IamPlan, role: InstanceRoleKind): ManagedRole {
  const r = plan.roles.find((x) => x.type === 'managed' && x.subject.kind === 'instance' && x.subject.role === role);
  if (r === undefined || r.type !== 'managed') throw new Error(`no managed ${role} role in ${plan.cluster}`);
  return r;
}

/** The existing (not managed) plans of an instance role kind. */
export function existingRoles(plan: IamPlan, role: InstanceRoleKind): ExistingRole[] {
  return plan.roles.filter((x): x is ExistingRole => x.type === 'existing' && x.subject.role === role);
}

/** The managed role of a service account; fails the test when there is none. */
export function serviceAccountRole(plan: IamPlan, namespace: string, name: string): ManagedRole {
  const r = plan.roles.find(
    (x) => x.type === 'managed' && x.subject.kind === 'service-account' && x.subject.namespace === namespace && x.subject.name === name,
  );
  if (r === undefined || r.type !== 'managed') throw new Error(`no role for service account ${namespace}/${name}`);
  return r;
}

/** `namespace/name` of every service-account role of a plan, in plan order. */
export function serviceAccountsOf(plan: IamPlan): string[] {
  return plan.roles.flatMap((r) => (r.subject.kind === 'service-account' ? [`${r.subject.namespace}/${r.subject.name}`] : []));
}

/** A speller for references that shows their kind: `<hosted-zone-id>`, `<kms-key-arn:alias:alias/x>`. */
export function spellRef(ref: Ref): string {
  return ref.kind === 'kms-key-arn' ? `<kms-key-arn:${ref.lookup}:${ref.id}>` : `<${ref.kind}>`;
}

/** A statement of a rendered policy, as IAM JSON. */
export interface JsonStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A policy document rendered (references spelled by spellRef) and parsed back. */
export function policyJson(doc: PolicyDocument): { Version: string; Statement: JsonStatement[] } {
  return JSON.parse(renderPolicyText(doc, spellRef)) as { Version: string; Statement: JsonStatement[] };
}

/** The statements of a role's inline policy of a kind (kops' own or the additional one); [] when it has none. */
export function statementsOf(role: ManagedRole, kind: 'role' | 'additional' = 'role'): JsonStatement[] {
  const p = role.policies.find((x) => x.kind === kind);
  return p === undefined ? [] : policyJson(p.document).Statement;
}

/** Every action a policy document allows (NotAction statements excluded), without repeats, sorted. */
function allowedActions(doc: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const s of doc.statements) if (s.effect === 'Allow' && s.action.not !== true) for (const a of s.action.values) out.add(a);
  return [...out].sort();
}

/** Every action a role's own (kops) inline policy allows, sorted; [] without one. */
export function roleActions(role: ManagedRole): string[] {
  const p = role.policies.find((x) => x.kind === 'role');
  return p === undefined ? [] : allowedActions(p.document);
}

/** A KMS key ARN of eu-central-1. */
export const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** An etcdClusters block (spec lines) with one member per [encryptedVolume, kmsKeyId] pair. */
export function etcdYaml(members: [boolean | undefined, string | undefined][]): string {
  const lines = ['  etcdClusters:', '  - name: main', '    etcdMembers:'];
  members.forEach(([enc, key], i) => {
    lines.push(`    - name: m${i}`);
    if (enc !== undefined) lines.push(`      encryptedVolume: ${enc}`);
    if (key !== undefined) lines.push(`      kmsKeyId: ${key}`);
  });
  return lines.join('\n');
}
