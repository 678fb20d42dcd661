import { finishCluster, readClusterDocument, type ClusterDraft, type ClusterModel } from './cluster-model';
import { Diagnostics, type Diagnostic } from './diagnostics';
import { parseFeatureFlags } from './feature-flags';
import { checkActions, type ActionUse } from './iam-actions';
import { ManifestClassifier, type InstanceGroupDocument } from './manifest';
import { planCluster, type IamPlan } from './plan';
import { checkPolicySizes } from './policy-size';
import { SourceFile, yamlDocuments } from './source-file';

/** An input file: the name to show in messages and its text. */
export interface InputFile {
  readonly name: string;
  readonly text: string;
}

/** Settings that come from outside the manifests. */
export interface LoadOptions {
  /** The value of `KOPS_FEATURE_FLAGS`. */
  readonly featureFlags?: string;
}

/** A validated cluster and its IAM plan. */
export interface PlannedCluster {
  readonly model: ClusterModel;
  readonly plan: IamPlan;
}

/** The outcome of reading the input: plans only when there is no error, and every diagnostic. */
export interface LoadResult {
  readonly ok: boolean;
  readonly clusters: readonly PlannedCluster[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * YAML → manifests → validated clusters → IAM plans. Every problem in every file is
 * collected; when there is any error, no plan is returned.
 */
export async function loadPlans(files: readonly InputFile[], options: LoadOptions = {}): Promise<LoadResult> {
  const diagnostics = new Diagnostics();
  const flags = parseFeatureFlags(options.featureFlags);
  const classifier = new ManifestClassifier(diagnostics);
  const drafts: ClusterDraft[] = [];
  const instanceGroups: InstanceGroupDocument[] = [];
  // One document at a time, each reduced to what is kept (a checked cluster, or an
  // InstanceGroup's label and role) before the next is parsed: a document's YAML tree is
  // far bigger than that, and 5,000 clusters' trees do not fit in memory comfortably.
  for (const f of files) {
    for (const { root } of yamlDocuments(new SourceFile(f.name, f.text), diagnostics)) {
      const manifest = classifier.classify(root);
      if (manifest?.kind === 'Cluster') drafts.push(readClusterDocument(manifest.cluster, flags, diagnostics));
      else if (manifest?.kind === 'InstanceGroup') instanceGroups.push(manifest.instanceGroup);
    }
  }
  const firstGroup = instanceGroups[0];
  if (drafts.length === 0 && firstGroup !== undefined) {
    // One clear error instead of one "unknown cluster" per InstanceGroup.
    diagnostics.error(
      firstGroup.pos,
      '',
      'the input has InstanceGroups but no Cluster; pass the cluster manifest too (kops get cluster NAME -o yaml), in the same file or as another FILE',
    );
  } else if (drafts.length === 0 && !diagnostics.hasErrors) {
    const first = files[0];
    diagnostics.error({ file: first?.name ?? '<input>', line: 1, col: 1 }, '', 'no kops Cluster in the input; expected a document with kind: Cluster (or the bare metadata + spec form)');
  }
  const groups = drafts.length === 0 ? new Map<ClusterDraft, InstanceGroupDocument[]>() : assignInstanceGroups(drafts, instanceGroups, diagnostics);
  const read = drafts.map((c) => finishCluster(c, groups.get(c) ?? [], diagnostics));
  const actions: ActionUse[] = read.flatMap((r) => r.actions);
  await checkActions(actions, diagnostics);
  const clusters: PlannedCluster[] = [];
  for (const { model } of read) {
    if (model === undefined) continue;
    const plan = planCluster(model);
    checkPolicySizes(plan, model, diagnostics);
    clusters.push({ model, plan });
  }
  const ok = !diagnostics.hasErrors;
  return { ok, clusters: ok ? clusters : [], diagnostics: diagnostics.list() };
}

/** InstanceGroups belong to the cluster their `kops.k8s.io/cluster` label names, or to the only cluster. */
function assignInstanceGroups(
  clusters: readonly ClusterDraft[],
  instanceGroups: readonly InstanceGroupDocument[],
  diagnostics: Diagnostics,
): Map<ClusterDraft, InstanceGroupDocument[]> {
  const out = new Map<ClusterDraft, InstanceGroupDocument[]>();
  // By name, not a search per InstanceGroup: 5,000 clusters have 15,000 groups.
  const byName = new Map<string, ClusterDraft>();
  for (const c of clusters) if (!byName.has(c.name)) byName.set(c.name, c);
  for (const ig of instanceGroups) {
    const label = ig.clusterLabel;
    let owner: ClusterDraft | undefined;
    if (!label.unset) {
      const name = label.name;
      owner = name === undefined ? undefined : byName.get(name);
      if (owner === undefined) {
        const known = clusters.map((c) => c.name).join(', ') || 'none';
        diagnostics.error(label.pos, label.path, `InstanceGroup names cluster '${label.text}', which is not in the input (clusters: ${known}); fix the label or pass that cluster's manifest too`);
        continue;
      }
    } else if (clusters.length === 1) {
      owner = clusters[0];
    } else {
      const why = clusters.length === 0 ? 'there is no Cluster in the input' : `the input has ${clusters.length} clusters`;
      diagnostics.error(ig.pos, 'metadata', `InstanceGroup without a kops.k8s.io/cluster label, and ${why}; add the label`);
      continue;
    }
    if (owner === undefined) continue;
    const list = out.get(owner) ?? [];
    list.push(ig);
    out.set(owner, list);
  }
  return out;
}
