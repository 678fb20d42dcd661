import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic';
import { Report } from './diagnostics/report';
import type { ClusterSpec } from './cluster/cluster-spec';
import { rolesInUse } from './cluster/roles-in-use';
import type { InputFile } from './input/input-file';
import { assignGroups } from './manifest/assign-groups';
import type { InstanceGroupSpec } from './manifest/instance-group';
import { readManifests, uniqueClusters, type ReadManifests } from './manifest/read-documents';
import { checkGroupProfiles } from './manifest/group-profiles';
import { planCluster } from './plan/build-plan';
import { checkPlanNames } from './plan/plan-names';
import type { IamPlan } from './plan/plan';
import { checkPolicySizes } from './plan/policy-size';
import { checkActions } from './policy/iam-actions';
import { parseFeatureFlags } from './util/feature-flags';

/** Settings that come from outside the manifests. */
export interface LoadOptions {
  /** The value of `KOPS_FEATURE_FLAGS`. */
  readonly featureFlags?: string;
}

/** A checked cluster, its InstanceGroups and its IAM plan. */
export interface PlannedCluster {
  readonly spec: ClusterSpec;
  readonly groups: readonly InstanceGroupSpec[];
  readonly plan: IamPlan;
}

/** The outcome of reading the input: plans only when there is no error, and every diagnostic in file order. */
export interface LoadResult {
  readonly ok: boolean;
  readonly clusters: readonly PlannedCluster[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * YAML → checked clusters and InstanceGroups → IAM plans, in two passes over text read
 * once: pass one reads every document into plain data; pass two gives each cluster its
 * InstanceGroups and plans it, exactly once. Every problem of every file is collected;
 * with any error, no plan is returned.
 */
export async function loadPlans(files: readonly InputFile[], options: LoadOptions = {}): Promise<LoadResult> {
  const report = new Report();
  const read = readManifests(files, parseFeatureFlags(options.featureFlags), report);
  return planManifests(read, report, files[0]?.name ?? '<input>');
}

/**
 * Pass two, on what pass one read (here, or in parts on other threads, joined): actions
 * checked against AWS's IAM data, clusters named twice reported, InstanceGroups given to
 * their clusters, each cluster planned once. `firstFile` is where "no cluster" points.
 */
export async function planManifests(read: ReadManifests, report: Report, firstFile: string): Promise<LoadResult> {
  const clusters: PlannedCluster[] = [];
  for (const { spec, groups } of await prepareManifests(read, report, firstFile)) {
    const planned = planChecked(spec, groups);
    report.addAll(planned.diagnostics);
    if (planned.plan !== undefined) clusters.push({ spec, groups, plan: planned.plan });
  }
  const ok = !report.hasErrors;
  return { ok, clusters: ok ? clusters : [], diagnostics: sortDiagnostics(report.diagnostics) };
}

/** A checked cluster and its InstanceGroups, ready to plan. */
export interface ClusterToPlan {
  readonly spec: ClusterSpec;
  readonly groups: readonly InstanceGroupSpec[];
}

/**
 * Pass two up to planning: the clusters to plan, each with its InstanceGroups (problems
 * reported). Planning each (planChecked) depends on no other cluster, so a caller may
 * spread it over threads.
 */
export async function prepareManifests(read: ReadManifests, report: Report, firstFile: string): Promise<ClusterToPlan[]> {
  await checkActions(
    read.clusters.flatMap((c) => c.actions),
    report,
  );
  const unique = { ...read, clusters: uniqueClusters(read.clusters, report) };
  checkInputHasClusters(firstFile, unique, report);
  const out: ClusterToPlan[] = [];
  for (const [cluster, groups] of assignGroups(unique.clusters, unique.groups, report)) {
    if (cluster.spec !== undefined) out.push({ spec: cluster.spec, groups });
  }
  return out;
}

/** One cluster planned, with the problems of its plan (profiles, names, sizes); no plan when one is an error. */
export function planChecked(
  spec: ClusterSpec,
  groups: readonly InstanceGroupSpec[],
): { plan?: IamPlan; diagnostics: readonly Diagnostic[] } {
  const own = new Report();
  checkGroupProfiles(spec, groups, own);
  const plan = planCluster(spec, groups, rolesInUse(spec, groups, own));
  checkPlanNames(plan, spec, own);
  checkPolicySizes(plan, spec.at, own);
  return own.hasErrors ? { diagnostics: own.diagnostics } : { plan, diagnostics: own.diagnostics };
}

function checkInputHasClusters(firstFile: string, read: ReadManifests, report: Report): void {
  if (read.clusters.length > 0) return;
  if (read.firstGroupAt !== undefined) {
    const message =
      'the input has InstanceGroups but no Cluster; pass the cluster manifest too (kops get cluster NAME -o yaml), ' +
      'in the same file or as ' +
      'another FILE';
    report.error('KI111', read.firstGroupAt, message);
  } else if (!report.hasErrors) {
    const message = 'no kops Cluster in the input; expected a document with kind: Cluster (or the bare metadata + spec form)';
    report.error('KI111', { pos: { file: firstFile, line: 1, col: 1 }, path: '' }, message);
  }
}
