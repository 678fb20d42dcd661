// What the policies mean: every valid golden case's roles go through an IAM policy
// simulator (@cloud-copilot/iam-simulate, AGPL, test-only) against a permission matrix
// derived from the cluster's model, never from kops-iam's rendered policies.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlans } from '@kops-iam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listCases, synthCase, type GoldenCase } from '../src/cases';
import { checkCluster } from '../src/role-check';
import { simulate, simulatedRequestCount } from '../src/simulate';
import { evaluateTemplate, type StackJson } from '../src/terraform-template';
import { TEST_ACCOUNT, TEST_ZONE_VARIABLE_VALUE } from '../src/test-world';

/** Cases whose golden says the run succeeds. */
function validCases(): GoldenCase[] {
  return listCases().filter((c) => {
    const f = join(c.dir, 'expected', 'exit-code');
    return existsSync(f) && readFileSync(f, 'utf8').trim() === '0';
  });
}

/** The case's model and plan, read by @kops-iam/core from the case's inputs, and the stacks synth writes. */
async function loadCase(c: GoldenCase) {
  const files = c.inputs.map((name) => ({ name, text: readFileSync(join(c.dir, name), 'utf8') }));
  const loaded = await loadPlans(files, { featureFlags: c.featureFlags });
  const synth = await synthCase(c);
  return { loaded, synth };
}

const totals = { cases: 0, clusters: 0, roles: 0, asserted: 0, undecidable: 0, inapplicable: 0 };

afterAll(() => {
  console.log(
    `IAM simulation: ${simulatedRequestCount()} simulated requests; ${totals.asserted} asserted over ${totals.roles} roles of ${totals.clusters} clusters in ${totals.cases} cases` +
      ` (${totals.undecidable} not asserted: conditions or policy variables; ${totals.inapplicable} additional-policy probes not applicable to the action)`,
  );
});

describe('IAM simulation of every valid golden case', () => {
  const cases = validCases();

  it('has valid cases to simulate', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const { loaded, synth } = await loadCase(c);
      expect(loaded.ok, loaded.diagnostics.map((d) => d.message).join('\n')).toBe(true);
      expect(synth.exitCode).toBe(0);
      const failures: string[] = [];
      for (const { model, plan } of loaded.clusters) {
        const text = synth.files.get(`stacks/${model.name}/cdk.tf.json`);
        expect(text, `stack of ${model.name}`).toBeDefined();
        const check = await checkCluster(model, plan, JSON.parse(text as string) as StackJson);
        failures.push(...check.failures);
        totals.clusters += 1;
        totals.roles += check.roles;
        totals.asserted += check.asserted;
        totals.undecidable += check.undecidable;
        totals.inapplicable += check.inapplicable;
        // A cluster whose roles all pass without a single asserted request proves nothing.
        if (check.roles > 0) expect(check.asserted, `${model.name}: requests asserted`).toBeGreaterThan(10);
      }
      totals.cases += 1;
      expect(failures).toEqual([]);
    });
  }
});

/** The seed case, its model and its stack, for the checks that the harness itself can fail. */
async function seed() {
  const c = listCases().find((x) => x.name === 'seed-example');
  if (c === undefined) throw new Error('no seed-example case');
  const { loaded, synth } = await loadCase(c);
  const cluster = loaded.clusters[0];
  if (cluster === undefined) throw new Error('seed-example has no cluster');
  const stack = JSON.parse(synth.files.get(`stacks/${cluster.model.name}/cdk.tf.json`) as string) as StackJson & {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  return { ...cluster, stack };
}

describe('the simulation harness', () => {
  it('fails a node policy widened to ec2:* and hostedzone/*', async () => {
    const { model, plan, stack } = await seed();
    const policies = stack.resource.aws_iam_role_policy ?? {};
    const node = plan.roles.find((r) => r.role === 'node');
    const nodePolicy = policies[node?.logicalId ?? ''];
    expect(nodePolicy).toBeDefined();
    const widened = String(nodePolicy?.policy).replace('"ec2:Describe*"', '"ec2:*"').replace('hostedzone/${var.hosted_zone_id}', 'hostedzone/*');
    expect(widened).not.toBe(String(nodePolicy?.policy));
    const tampered = { ...stack, resource: { ...stack.resource, aws_iam_role_policy: { ...policies, [node?.logicalId ?? '']: { ...nodePolicy, policy: widened } } } };
    const check = await checkCluster(model, plan, tampered);
    expect(check.failures.some((f) => f.includes('ec2:RunInstances'))).toBe(true);
    expect(check.failures.some((f) => f.includes('ec2:TerminateInstances'))).toBe(true);
    expect(check.failures.some((f) => f.includes('ChangeResourceRecordSets on arn:aws:route53:::hostedzone/ZOTHER'))).toBe(true);
  });

  it('fails a dropped additional policy and a policy of the wrong partition', async () => {
    const { model, plan, stack } = await seed();
    const policies = { ...(stack.resource.aws_iam_role_policy ?? {}) };
    const node = plan.roles.find((r) => r.role === 'node');
    const master = plan.roles.find((r) => r.role === 'master');
    delete policies[node?.additionalLogicalId ?? ''];
    const masterPolicy = policies[master?.logicalId ?? ''];
    policies[master?.logicalId ?? ''] = { ...masterPolicy, policy: String(masterPolicy?.policy).replace(/arn:aws:/g, 'arn:aws-cn:') };
    const check = await checkCluster(model, plan, { ...stack, resource: { ...stack.resource, aws_iam_role_policy: policies } });
    expect(check.failures.some((f) => /node: 1 inline policies attached, expected 2/.test(f))).toBe(true);
    expect(check.failures.some((f) => /node: additional policy: dynamodb:\S+ on \*: ImplicitlyDenied, expected Allowed/.test(f))).toBe(true);
    expect(check.failures.some((f) => /master: route53:GetChange on arn:aws:route53:::change\/\S+: ImplicitlyDenied, expected Allowed/.test(f))).toBe(true);
  });

  it('lets a Deny in an additional policy win over kops defaults', async () => {
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/masters.x`;
    const own = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] };
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' }] };
    const req = { action: 'ec2:TerminateInstances', resource: `arn:aws:ec2:eu-central-1:${TEST_ACCOUNT}:instance/i-0123456789abcdef0` };
    expect(await simulate(role, [{ name: 'own', policy: own }], req)).toBe('Allowed');
    expect(await simulate(role, [{ name: 'own', policy: own }, { name: 'extra', policy: deny }], req)).toBe('ExplicitlyDenied');
  });
});

describe('Terraform template evaluation', () => {
  const stack: StackJson = {
    provider: { aws: [{ region: 'cn-north-1' }] },
    variable: { hosted_zone_id: {} },
    data: { aws_kms_alias: { k: { name: 'alias/etcd' } } },
  };

  it('unescapes $${ and %%{ and resolves the zone variable and KMS lookups', () => {
    const out = evaluateTemplate('a $${aws:username} %%{x} hostedzone/${var.hosted_zone_id} ${data.aws_kms_alias.k.target_key_arn}', stack, 'aws-cn');
    expect(out).toMatch(new RegExp(`^a \\$\\{aws:username\\} %\\{x\\} hostedzone/${TEST_ZONE_VARIABLE_VALUE} arn:aws-cn:kms:cn-north-1:${TEST_ACCOUNT}:key/[0-9a-f-]{36}$`));
  });

  it('refuses references it does not know', () => {
    expect(() => evaluateTemplate('${data.aws_kms_key.missing.arn}', stack, 'aws')).toThrow(/does not declare/);
    expect(() => evaluateTemplate('${aws_iam_role.x.arn}', stack, 'aws')).toThrow(/unexpected Terraform expression/);
  });
});
