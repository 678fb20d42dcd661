import type { ClusterModel, IamPlan } from '@kops-iam/core';
import { additionalProbes, userStatements, withUserStatements } from './additional-expectations';
import { expectedPartition, partitionTwins, permissionMatrix, requestOf } from './permission-matrix';
import { simulate, simulateAssumeRole, type NamedPolicy } from './simulate';
import { evaluateTemplate, type StackJson } from './terraform-template';
import { TEST_ACCOUNT } from './test-world';

/** What checking one cluster's roles found: failures (empty when right) and counts. */
export interface ClusterCheck {
  readonly failures: string[];
  /** Matrix rows and additional-policy probes asserted. */
  asserted: number;
  /** Requests not asserted: a user statement's effect on them needs request context (conditions, policy variables). */
  undecidable: number;
  /** Additional-policy probes the simulator rejected as not applicable (resource type of another action). */
  inapplicable: number;
  roles: number;
}

type Resources = Record<string, Record<string, unknown>>;

/**
 * Simulates every role of one cluster against its permission matrix, the trust policy,
 * and the additional policy's own statements. `stack` is the synthesized cdk.tf.json.
 */
export async function checkCluster(model: ClusterModel, plan: IamPlan, stack: StackJson): Promise<ClusterCheck> {
  const result: ClusterCheck = { failures: [], asserted: 0, undecidable: 0, inapplicable: 0, roles: 0 };
  const fail = (msg: string) => result.failures.push(`${model.name}: ${msg}`);
  const p = model.partition.name;
  if (p !== expectedPartition(model.region)) fail(`partition ${p} for region ${model.region}, expected ${expectedPartition(model.region)}`);
  const matrix = permissionMatrix(model);
  const roles: Resources = stack.resource?.aws_iam_role ?? {};
  const rolePolicies: Resources = stack.resource?.aws_iam_role_policy ?? {};
  const profiles: Resources = stack.resource?.aws_iam_instance_profile ?? {};

  for (const rp of plan.roles) {
    const role = rp.role;
    const link = `\${aws_iam_role.${rp.logicalId}.name}`;
    const attached = Object.entries(rolePolicies).filter(([, r]) => r.role === link);
    const custom = model.customRoles.get(role);
    if (custom !== undefined) {
      if (roles[rp.logicalId] !== undefined || attached.length > 0) fail(`${role}: a custom role must get no role and no inline policy`);
      if (profiles[rp.logicalId]?.role !== custom.name) fail(`${role}: the instance profile must use the existing role ${custom.name}`);
      continue;
    }
    result.roles += 1;
    const roleJson = roles[rp.logicalId];
    if (roleJson === undefined) {
      fail(`${role}: no aws_iam_role.${rp.logicalId}`);
      continue;
    }
    const roleArn = `arn:${p}:iam::${TEST_ACCOUNT}:role/${String(roleJson.name)}`;
    const extra = model.additionalPolicies.get(role);
    const expectedCount = extra === undefined ? 1 : 2;
    if (attached.length !== expectedCount) fail(`${role}: ${attached.length} inline policies attached, expected ${expectedCount}`);
    const own = rolePolicies[rp.logicalId];
    const additional = rolePolicies[rp.additionalLogicalId];
    if (own === undefined) {
      fail(`${role}: no aws_iam_role_policy.${rp.logicalId}`);
      continue;
    }
    const toPolicy = (name: string, r: Record<string, unknown>): NamedPolicy => ({ name, policy: JSON.parse(evaluateTemplate(String(r.policy), stack, p)) });
    const base = [toPolicy('own', own)];
    const all = additional === undefined ? base : [...base, toPolicy('additional', additional)];
    const statements = userStatements(extra);

    await checkTrust(roleArn, JSON.parse(evaluateTemplate(String(roleJson.assume_role_policy), stack, p)), p, (m) => fail(`${role}: ${m}`));

    const rows = matrix.get(role) ?? [];
    for (const row of [...rows, ...partitionTwins(rows, p)]) {
      const req = requestOf(row);
      const expected = withUserStatements(row[2], statements, req);
      if (expected === undefined) {
        result.undecidable += 1;
        continue;
      }
      const actual = await simulate(roleArn, all, req);
      result.asserted += 1;
      if (actual !== expected) fail(`${role}: ${req.action} on ${req.resource}: ${actual}, expected ${expected} (${row[3]})`);
    }

    const probeSets = await additionalProbes(statements);
    for (const [i, probes] of probeSets.entries()) {
      let applicable = 0;
      for (const probe of probes) {
        let before;
        try {
          before = await simulate(roleArn, base, probe.request);
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
        const actual = await simulate(roleArn, all, probe.request);
        result.asserted += 1;
        if (actual !== expected) fail(`${role}: additional policy: ${probe.request.action} on ${probe.request.resource}: ${actual}, expected ${expected} (${probe.why}; without it: ${before})`);
      }
      if (applicable === 0 && statements[i]?.Action !== undefined) fail(`${role}: additional statement ${i} gave no request the simulator could run`);
    }
  }
  return result;
}

/** EC2 of the cluster's partition may assume the role; another service and a user of the account may not. */
async function checkTrust(roleArn: string, trust: unknown, partition: string, fail: (m: string) => void): Promise<void> {
  const ec2 = partition === 'aws-cn' ? 'ec2.amazonaws.com.cn' : 'ec2.amazonaws.com';
  const cases: [string, string][] = [
    [ec2, 'Allowed'],
    ['lambda.amazonaws.com', 'ImplicitlyDenied'],
    [`arn:${partition}:iam::${TEST_ACCOUNT}:user/someone`, 'ImplicitlyDenied'],
  ];
  for (const [principal, expected] of cases) {
    const actual = await simulateAssumeRole(roleArn, trust, principal);
    if (actual !== expected) fail(`sts:AssumeRole by ${principal}: ${actual}, expected ${expected}`);
  }
}
