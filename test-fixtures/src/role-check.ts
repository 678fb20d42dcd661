import { instanceRoleName, type ClusterSpec, type IamPlan, type InstanceGroupSpec } from '@kops-iam/core';
import { actionMatches, additionalProbes, cappedByBoundary, withUserStatements } from './additional-expectations';
import { expectedSubjects, worldOf, type Subject } from './cluster-subjects';
import { expectedKeyArn, expectedPartition, expectedZoneId } from './permission-matrix';
import { simulate, type NamedPolicy } from './simulate';
import { checkOidcProvider, checkRoleSet, checkSubjectResources, indexStack, type StackIndex } from './stack-checks';
import type { StrictContext } from './strict-matrix';
import { stateLocations } from './strict-s3';
import { dnsSuffixOf, strictSettings } from './strict-settings';
import { evaluateTemplate, type StackJson } from './terraform-template';
import { checkTrust } from './trust-check';
import { TEST_ACCOUNT, testBoundaryPolicy } from './test-world';

/** One cluster of a case: what @kops-iam/core read and planned, the stack synth wrote, and the case's YAML documents. */
export interface ClusterInput {
  readonly spec: ClusterSpec;
  readonly groups: readonly InstanceGroupSpec[];
  readonly plan: IamPlan;
  readonly stack: StackJson;
  readonly docs: readonly unknown[];
}

/** What checking one cluster's roles found: failures (empty when right) and counts of simulated requests asserted. */
export interface ClusterCheck {
  readonly failures: string[];
  /** Asserted requests by source: legacy / strict matrix rows, trust policies, user-statement probes. */
  readonly asserted: { legacy: number; strict: number; none: number; trust: number; user: number };
  /** Requests not asserted: a user statement's effect on them needs request context (conditions, policy variables). */
  undecidable: number;
  /** User-statement probes the simulator rejected as not applicable (resource type of another action). */
  inapplicable: number;
  /** Rows of actions nothing grants that no Allow statement of the role names: denied without asking the simulator. */
  unnamed: number;
  roles: number;
}

/** Simulates every role of one cluster against its matrix, its trust policy and the user's own statements. */
export async function checkCluster(input: ClusterInput): Promise<ClusterCheck> {
  const { spec, plan, stack } = input;
  const result: ClusterCheck = {
    failures: [],
    asserted: { legacy: 0, strict: 0, none: 0, trust: 0, user: 0 },
    undecidable: 0,
    inapplicable: 0,
    unnamed: 0,
    roles: 0,
  };
  const fail = (msg: string) => result.failures.push(`${spec.name}: ${msg}`);
  const p = spec.partition.name;
  if (p !== expectedPartition(spec.region)) fail(`partition ${p} for region ${spec.region}, expected ${expectedPartition(spec.region)}`);
  const settings = strictSettings(spec, input.groups, input.docs);
  const strict: StrictContext = {
    world: worldOf(spec),
    locations: stateLocations(input.docs, spec.name),
    kmsKeys: spec.etcdKmsKeys.map((k) => expectedKeyArn(k, p, spec.region)),
    nodeRole: instanceRoleName('node', spec.name),
    ec2Principal: `ec2.${dnsSuffixOf(spec.region)}`,
  };
  const subjects = expectedSubjects({ spec, groups: input.groups, plan, settings, strict, zone: expectedZoneId(spec) });
  const index = indexStack(stack);
  checkRoleSet(subjects, plan, index, fail);
  checkOidcProvider(stack, settings, fail);
  for (const s of subjects) {
    if (!checkSubjectResources(s, index, spec.iam.permissionsBoundary, fail)) continue;
    result.roles += 1;
    await checkRole(s, input, index, result, (m) => fail(`${s.key}: ${m}`));
  }
  return result;
}

async function checkRole(
  s: Subject,
  input: ClusterInput,
  index: StackIndex,
  result: ClusterCheck,
  fail: (m: string) => void,
): Promise<void> {
  const { spec, stack } = input;
  const p = spec.partition.name;
  const role = index.roles.get(s.roleName);
  if (role === undefined) return;
  const roleArn = `arn:${p}:iam::${TEST_ACCOUNT}:role/${s.roleName}`;
  const policies = index.policies.get(role.label) ?? new Map();
  const toPolicy = (name: string): NamedPolicy[] => {
    const json = policies.get(name);
    return json === undefined ? [] : [{ name, policy: JSON.parse(evaluateTemplate(String(json.policy), stack, p)) }];
  };
  // The role's own policy is kops' (instance and addon roles) or the user's (listed service accounts).
  const base = s.inline.length > 0 ? [] : toPolicy(s.roleName);
  const all = [...toPolicy(s.roleName), ...toPolicy(`additional.${s.roleName}`)];
  const statements = s.additional ?? s.inline;
  // The spec's boundary caps what IAM must answer; the boundary the stack attaches is what the simulator applies.
  const boundary = spec.iam.permissionsBoundary;
  const attached = role.json.permissions_boundary;
  const boundaries = typeof attached === 'string' ? [testBoundaryPolicy(attached)] : [];
  const trust = JSON.parse(evaluateTemplate(String(role.json.assume_role_policy), stack, p));
  result.asserted.trust += await checkTrust(roleArn, trust, s.trust, { partition: p, region: spec.region }, fail);

  for (const row of await s.rows()) {
    const expected = withUserStatements(row.expected, statements, row.request);
    if (expected === undefined) {
      result.undecidable += 1;
      continue;
    }
    const want = cappedByBoundary(expected, row.request.action, boundary !== undefined);
    if (row.request.lenient === true && want === 'ImplicitlyDenied' && !namedByAllow(all, row.request.action)) {
      result.unnamed += 1;
      continue;
    }
    const actual = await simulate(roleArn, all, row.request, boundaries);
    result.asserted[s.matrix] += 1;
    if (actual !== want)
      fail(`${row.request.action} on ${row.request.resource}${context(row.request.context)}: ${actual}, expected ${want} (${row.why})`);
  }
  await checkUserStatements(s, { roleArn, base, all, boundaries, bounded: boundary !== undefined }, result, fail);
}

/** Whether an Allow statement of the policies names the action (or allows by NotAction): only then can IAM allow it. */
function namedByAllow(policies: readonly NamedPolicy[], action: string): boolean {
  return policies.some((p) => {
    const statements = (p.policy as { Statement?: unknown }).Statement;
    return (Array.isArray(statements) ? statements : [statements]).some((st: Record<string, unknown> | undefined) => {
      if (st?.Effect !== 'Allow') return false;
      if (st.NotAction !== undefined) return true;
      return (Array.isArray(st.Action) ? st.Action : [st.Action]).some((a) => typeof a === 'string' && actionMatches(a, action));
    });
  });
}

function context(ctx: Readonly<Record<string, unknown>> | undefined): string {
  return ctx === undefined || Object.keys(ctx).length === 0 ? '' : ` with ${JSON.stringify(ctx)}`;
}

/** Each user statement's own actions on its own resources, and neighbours it must not change (see additionalProbes). */
async function checkUserStatements(
  s: Subject,
  r: { roleArn: string; base: NamedPolicy[]; all: NamedPolicy[]; boundaries: NamedPolicy[]; bounded: boolean },
  result: ClusterCheck,
  fail: (m: string) => void,
): Promise<void> {
  const statements = s.additional ?? s.inline;
  const what = s.additional !== undefined ? 'additional policy' : 'inline policy';
  for (const [i, probes] of (await additionalProbes(statements)).entries()) {
    let applicable = 0;
    for (const probe of probes) {
      let before;
      try {
        before = await simulate(r.roleArn, r.base, probe.request, r.boundaries);
      } catch {
        result.inapplicable += 1;
        continue;
      }
      applicable += 1;
      const expected = withUserStatements(before, statements, probe.request);
      if (expected === undefined) {
        result.undecidable += 1;
        continue;
      }
      const want = cappedByBoundary(expected, probe.request.action, r.bounded);
      const actual = await simulate(r.roleArn, r.all, probe.request, r.boundaries);
      result.asserted.user += 1;
      if (actual !== want)
        fail(
          `${what}: ${probe.request.action} on ${probe.request.resource}: ${actual}, expected ${want} ` +
            `(${probe.why}; without it: ${before})`,
        );
    }
    if (applicable === 0 && statements[i]?.Action !== undefined) fail(`${what} statement ${i} gave no request the simulator could run`);
  }
}
