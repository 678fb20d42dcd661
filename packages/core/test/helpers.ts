// Test helpers: build inputs from small YAML strings through the package's own parsers.
import { Diagnostics, type Diagnostic } from '../src/diagnostics';
import { loadPlans, type LoadResult, type PlannedCluster } from '../src/load';
import { parseYamlFile, SourceFile } from '../src/source-file';
import type { YamlNode } from '../src/yaml-node';

/** The root node of the first document of a YAML text, and the diagnostics collected parsing it. */
export function yamlRoot(text: string, name = 'test.yaml'): { root: YamlNode; diagnostics: Diagnostics } {
  const diagnostics = new Diagnostics();
  const docs = parseYamlFile(new SourceFile(name, text), diagnostics);
  const first = docs[0];
  if (first === undefined) throw new Error(`no YAML document in: ${text}`);
  return { root: first.root, diagnostics };
}

/** The `spec` node of a YAML text holding `spec:` at the top. */
export function specOf(text: string): { spec: YamlNode; diagnostics: Diagnostics } {
  const { root, diagnostics } = yamlRoot(text);
  return { spec: root.get('spec'), diagnostics };
}

/** Only the errors of a diagnostics list. */
export function errorsOf(list: readonly Diagnostic[]): Diagnostic[] {
  return list.filter((d) => d.severity === 'error');
}

/** Only the warnings of a diagnostics list. */
export function warningsOf(list: readonly Diagnostic[]): Diagnostic[] {
  return list.filter((d) => d.severity === 'warning');
}

/** A minimal valid v1alpha2 Cluster document; `extra` is spliced into its spec (indented by 2). */
export function clusterYaml(name: string, extra = '', zone = 'eu-central-1a'): string {
  return [
    'apiVersion: kops.k8s.io/v1alpha2',
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

/** An InstanceGroup document with a role, optionally labelled with its cluster. */
export function instanceGroupYaml(name: string, role: string, cluster?: string): string {
  const labels = cluster === undefined ? '' : `\n  labels:\n    kops.k8s.io/cluster: ${cluster}`;
  return `apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\nmetadata:\n  name: ${name}${labels}\nspec:\n  role: ${role}\n`;
}

/** loadPlans over one file of YAML text. */
export function load(text: string, featureFlags?: string): Promise<LoadResult> {
  return loadPlans([{ name: 'in.yaml', text }], featureFlags === undefined ? {} : { featureFlags });
}

/** Loads one file that must give exactly one valid cluster, and returns it. */
export async function loadOne(text: string, featureFlags?: string): Promise<PlannedCluster> {
  const r = await load(text, featureFlags);
  if (!r.ok || r.clusters.length !== 1) {
    throw new Error(`expected one valid cluster, got ${r.clusters.length}: ${JSON.stringify(r.diagnostics)}`);
  }
  return r.clusters[0]!;
}
