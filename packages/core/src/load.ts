import { clusterModel, hasUnusedPolicies, readClusterDocument, roleBits, roleHints, roleSetInUse, rolesInUse, type ClusterDraft, type ClusterModel, type RoleBits } from './cluster-model';
import { Diagnostics, type Diagnostic, type SourcePosition } from './diagnostics';
import { parseFeatureFlags } from './feature-flags';
import { checkActions } from './iam-actions';
import { inputPieces, type InputFile } from './input-file';
import { ManifestClassifier, type InstanceGroupDocument } from './manifest';
import { planCluster, type IamPlan } from './plan';
import { checkPolicySizes } from './policy-size';
import { roleBit, roleSet, rolesOf, type RoleSet } from './role-set';
import { SourceFile, yamlDocuments, type SourceDocument } from './source-file';

export type { InputFile } from './input-file';

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

/** Where {@link streamPlans} hands each cluster's plan as soon as it is known. */
export type PlanSink = (cluster: PlannedCluster) => void | Promise<void>;

/** The outcome of {@link streamPlans}: the valid clusters' names in input order when there is no error, and every diagnostic. */
export interface StreamResult {
  readonly ok: boolean;
  readonly clusters: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * YAML → manifests → validated clusters → IAM plans. Every problem in every file is
 * collected; when there is any error, no plan is returned.
 */
export async function loadPlans(files: readonly InputFile[], options: LoadOptions = {}): Promise<LoadResult> {
  const plans = new Map<string, PlannedCluster>();
  const result = await streamPlans(files, options, (c) => {
    plans.set(c.model.name, c);
  });
  const clusters = result.clusters.map((name) => plans.get(name) as PlannedCluster);
  return { ok: result.ok, clusters, diagnostics: result.diagnostics };
}

/**
 * What is kept of a cluster once its document is let go: enough to decide its roles at the
 * end, and to find its document again. Kept for every cluster, so it holds no Map or Set.
 */
interface ClusterRecord {
  readonly name: string;
  readonly pos: SourcePosition;
  /** The input and document index it was read from. */
  readonly input: number;
  readonly document: number;
  /** Absent when it has no spec mapping: then no role is looked at. */
  readonly hints: RoleBits | undefined;
  readonly valid: boolean;
  /** The roles of its InstanceGroups read so far. */
  groups: RoleSet;
  /** The roles of the plan handed out. */
  planned?: RoleSet;
  /** What the policy-size check said of that plan: reported if its roles stay. */
  sizeProblems?: readonly Diagnostic[];
}

/**
 * Like {@link loadPlans}, handing each valid cluster's plan to `onPlan` as soon as its
 * documents are read, and keeping only a small record of it: memory does not grow with
 * the input's size beyond that. A cluster counts as read at the next Cluster document of
 * its file or the file's end. InstanceGroups of it found later (in another file) can
 * change its roles: then its document is read again, and `onPlan` gets a second plan
 * for the same cluster, which replaces the first. No plan is handed out after the first
 * error; plans handed out before stay provisional until the result says `ok`.
 */
export async function streamPlans(files: readonly InputFile[], options: LoadOptions, onPlan: PlanSink): Promise<StreamResult> {
  const diagnostics = new Diagnostics();
  const flags = parseFeatureFlags(options.featureFlags);
  const classifier = new ManifestClassifier(diagnostics);
  const records: ClusterRecord[] = [];
  // By name, not a search per InstanceGroup: 5,000 clusters have 15,000 groups.
  const byName = new Map<string, ClusterRecord>();
  // InstanceGroups naming a cluster not read (yet), and those naming none.
  const waiting = new Map<string, InstanceGroupDocument[]>();
  const strays: InstanceGroupDocument[] = [];
  const unlabelled: InstanceGroupDocument[] = [];
  let firstGroup: InstanceGroupDocument | undefined;
  let open: { record: ClusterRecord; draft: ClusterDraft } | undefined;

  const plan = async (record: ClusterRecord, model: ClusterModel): Promise<void> => {
    const iamPlan = planCluster(model);
    const sizes = new Diagnostics();
    checkPolicySizes(iamPlan, model, sizes);
    record.planned = roleSet(model.roles);
    record.sizeProblems = sizes.errorCount > 0 ? sizes.list() : undefined;
    if (!diagnostics.hasErrors && sizes.errorCount === 0) await onPlan({ model, plan: iamPlan });
  };
  const close = async (): Promise<void> => {
    if (open === undefined) return;
    const { record, draft } = open;
    open = undefined;
    await checkActions(draft.actions, diagnostics);
    // The roles as far as is known: its InstanceGroups so far, and unlabelled ones while it is the only cluster.
    const groups = records.length === 1 ? record.groups | roleSet(unlabelled.map((ig) => ig.role)) : record.groups;
    const model = record.hints === undefined ? undefined : clusterModel(draft, rolesOf(roleSetInUse(record.hints, groups)));
    if (model !== undefined) await plan(record, model);
  };

  for (const [input, file] of files.entries()) {
    for (const { root, index } of inputDocuments(file, diagnostics)) {
      const manifest = classifier.classify(root);
      if (manifest?.kind === 'Cluster') {
        await close();
        const draft = readClusterDocument(manifest.cluster, flags, diagnostics);
        const hints = roleHints(draft);
        const record: ClusterRecord = {
          name: draft.name,
          pos: draft.pos,
          input,
          document: index,
          hints: hints === undefined ? undefined : roleBits(hints),
          valid: clusterModel(draft, []) !== undefined,
          groups: roleSet((waiting.get(draft.name) ?? []).map((ig) => ig.role)),
        };
        waiting.delete(draft.name);
        records.push(record);
        if (!byName.has(record.name)) byName.set(record.name, record);
        open = { record, draft };
      } else if (manifest?.kind === 'InstanceGroup') {
        const ig = manifest.instanceGroup;
        firstGroup ??= ig;
        const label = ig.clusterLabel;
        const owner = label.name === undefined ? undefined : byName.get(label.name);
        if (label.unset) unlabelled.push(ig);
        else if (owner !== undefined) owner.groups |= roleBit(ig.role);
        else if (label.name === undefined) strays.push(ig);
        else {
          const early = waiting.get(label.name) ?? [];
          early.push(ig);
          waiting.set(label.name, early);
        }
      }
    }
    await close();
  }

  if (records.length === 0 && firstGroup !== undefined) {
    // One clear error instead of one "unknown cluster" per InstanceGroup.
    diagnostics.error(
      firstGroup.pos,
      '',
      'the input has InstanceGroups but no Cluster; pass the cluster manifest too (kops get cluster NAME -o yaml), in the same file or as another FILE',
    );
  } else if (records.length === 0 && !diagnostics.hasErrors) {
    const first = files[0];
    diagnostics.error({ file: first?.name ?? '<input>', line: 1, col: 1 }, '', 'no kops Cluster in the input; expected a document with kind: Cluster (or the bare metadata + spec form)');
  } else if (records.length > 0) {
    assignRemainingGroups(records, [...strays, ...[...waiting.values()].flat(), ...unlabelled], diagnostics);
  }

  // Now every InstanceGroup is known: the clusters whose roles changed are planned again,
  // and those with policies for roles no InstanceGroup has are read again for the warnings.
  const again = new Map<number, Map<number, { record: ClusterRecord; replan: boolean; warn: boolean }>>();
  for (const record of records) {
    if (record.hints === undefined) continue;
    const roles = roleSetInUse(record.hints, record.groups);
    const replan = record.valid && record.planned !== roles;
    const warn = hasUnusedPolicies(record.hints, record.groups);
    if (record.valid && !replan) diagnostics.addAll(record.sizeProblems ?? []);
    if (replan || warn) again.set(record.input, (again.get(record.input) ?? new Map()).set(record.document, { record, replan, warn }));
  }
  for (const [input, wanted] of again) {
    const file = files[input] as InputFile;
    // Read again quietly: everything in it but the warnings has been reported already.
    const quiet = new Diagnostics();
    for (const { root, index } of inputDocuments(file, quiet)) {
      const want = wanted.get(index);
      if (want === undefined) continue;
      const manifest = new ManifestClassifier(quiet).classify(root);
      const draft = manifest?.kind === 'Cluster' ? readClusterDocument(manifest.cluster, flags, quiet) : undefined;
      const hints = draft === undefined ? undefined : roleHints(draft);
      if (draft?.name !== want.record.name || hints === undefined) break;
      wanted.delete(index);
      const model = clusterModel(draft, rolesInUse(hints, want.record.groups, want.warn ? diagnostics : undefined));
      if (want.replan && model !== undefined) {
        await plan(want.record, model);
        diagnostics.addAll(want.record.sizeProblems ?? []);
      }
    }
    for (const { record } of wanted.values()) {
      diagnostics.error(record.pos, 'metadata.name', `${file.name} changed while kops-iam was reading it; run kops-iam again`);
    }
  }
  const ok = !diagnostics.hasErrors;
  return { ok, clusters: ok ? records.filter((r) => r.valid).map((r) => r.name) : [], diagnostics: diagnostics.list() };
}

/** The YAML documents of an input, one at a time, its text read as they are needed. */
function inputDocuments(file: InputFile, diagnostics: Diagnostics): Generator<SourceDocument, void, undefined> {
  return yamlDocuments(new SourceFile(file.name), diagnostics, inputPieces(file));
}

/**
 * InstanceGroups not yet given to a cluster: those whose `kops.k8s.io/cluster` label names
 * a cluster that is not in the input, and those without the label, which belong to the
 * only cluster when there is one.
 */
function assignRemainingGroups(records: readonly ClusterRecord[], groups: readonly InstanceGroupDocument[], diagnostics: Diagnostics): void {
  const known = (): string => records.map((c) => c.name).join(', ') || 'none';
  for (const ig of groups) {
    const label = ig.clusterLabel;
    if (!label.unset) {
      diagnostics.error(label.pos, label.path, `InstanceGroup names cluster '${label.text}', which is not in the input (clusters: ${known()}); fix the label or pass that cluster's manifest too`);
    } else if (records.length === 1) {
      const only = records[0] as ClusterRecord;
      only.groups |= roleBit(ig.role);
    } else {
      diagnostics.error(ig.pos, 'metadata', `InstanceGroup without a kops.k8s.io/cluster label, and the input has ${records.length} clusters; add the label`);
    }
  }
}

