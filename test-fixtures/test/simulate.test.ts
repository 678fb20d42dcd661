// What the policies mean: every valid golden case's roles go through an IAM policy
// simulator (@cloud-copilot/iam-simulate, AGPL, test-only) against a permission matrix
// derived from the cluster's spec, never from kops-iam's rendered policies: the legacy
// matrix for the seed's manifests, the strict matrix (with request context: tags, KMS's
// calling service, passed roles, web-identity tokens) for kops.k8s.io/v1alpha2 ones.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlans } from '@kops-iam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listCases, synthCase, type GoldenCase } from '../src/cases';
import { checkCluster, type ClusterCheck, type ClusterInput } from '../src/role-check';
import { simulate, simulatedRequestCount } from '../src/simulate';
import { manifestDocuments } from '../src/strict-settings';
import { evaluateTemplate, type StackJson } from '../src/terraform-template';
import { TEST_ACCOUNT, TEST_ZONE_VARIABLE_VALUE } from '../src/test-world';

/** Cases whose golden says the run succeeds. */
function validCases(): GoldenCase[] {
  return listCases().filter((c) => {
    const f = join(c.dir, 'expected', 'exit-code');
    return existsSync(f) && readFileSync(f, 'utf8').trim() === '0';
  });
}

type Stack = StackJson & { resource: Record<string, Record<string, Record<string, unknown>>> };

/** Every cluster of a case: read and planned by @kops-iam/core from the case's inputs, with the stack synth writes. */
async function clustersOf(c: GoldenCase): Promise<(ClusterInput & { stack: Stack })[]> {
  const files = c.inputs.map((name) => ({ name, text: readFileSync(join(c.dir, name), 'utf8') }));
  const loaded = await loadPlans(files, { featureFlags: c.featureFlags });
  expect(loaded.ok, loaded.diagnostics.map((d) => d.message).join('\n')).toBe(true);
  const synth = await synthCase(c);
  expect(synth.exitCode, synth.stderr).toBe(0);
  const docs = manifestDocuments(files);
  return loaded.clusters.map(({ spec, groups, plan }) => {
    const text = synth.files.get(`stacks/${spec.name}/cdk.tf.json`);
    expect(text, `stack of ${spec.name}`).toBeDefined();
    return { spec, groups, plan, docs, stack: JSON.parse(text as string) as Stack };
  });
}

const totals = {
  cases: 0,
  clusters: 0,
  roles: 0,
  legacy: 0,
  strict: 0,
  none: 0,
  trust: 0,
  user: 0,
  undecidable: 0,
  inapplicable: 0,
  unnamed: 0,
};

function count(check: ClusterCheck): void {
  totals.clusters += 1;
  totals.roles += check.roles;
  for (const k of ['legacy', 'strict', 'none', 'trust', 'user'] as const) totals[k] += check.asserted[k];
  totals.undecidable += check.undecidable;
  totals.inapplicable += check.inapplicable;
  totals.unnamed += check.unnamed;
}

const started = Date.now();
afterAll(() => {
  const asserted = totals.legacy + totals.strict + totals.none + totals.trust + totals.user;
  console.log(
    `IAM simulation: ${simulatedRequestCount()} simulated requests in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `${asserted} asserted over ${totals.roles} roles of ${totals.clusters} clusters in ${totals.cases} cases ` +
      `(legacy matrix ${totals.legacy}, strict matrix ${totals.strict}, listed service accounts ${totals.none}, ` +
      `trust ${totals.trust}, user statements ${totals.user}; ${totals.undecidable} not asserted: ` +
      `conditions or policy variables; ${totals.inapplicable} user-statement probes not applicable to the action; ` +
      `${totals.unnamed} rows of actions no Allow statement of the role names, denied without simulation)`,
  );
});

describe('IAM simulation of every valid golden case', () => {
  const cases = validCases();

  it('has valid cases to simulate', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(
      c.name,
      async () => {
        const failures: string[] = [];
        for (const cluster of await clustersOf(c)) {
          const check = await checkCluster(cluster);
          failures.push(...check.failures);
          count(check);
          // A cluster whose roles all pass without a single asserted request proves nothing.
          const asserted = check.asserted.legacy + check.asserted.strict + check.asserted.none;
          if (check.roles > 0) expect(asserted, `${cluster.spec.name}: requests asserted`).toBeGreaterThan(10);
        }
        totals.cases += 1;
        expect(failures).toEqual([]);
      },
      180_000,
    );
  }
});

/** A case of the harness's own, written to a temporary folder (the goldens may change under these tests). */
async function ownCase(name: string, yaml: string): Promise<ClusterInput & { stack: Stack }> {
  const dir = mkdtempSync(join(tmpdir(), `kops-iam-harness-${name}-`));
  try {
    writeFileSync(join(dir, 'input.yaml'), yaml);
    const [cluster] = await clustersOf({ name, dir, inputs: ['input.yaml'], featureFlags: undefined });
    if (cluster === undefined) throw new Error(`${name}: no cluster`);
    return cluster;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy of a stack with one resource's argument rewritten. */
function tamper(stack: Stack, type: string, label: string, field: string, edit: (value: string) => string): Stack {
  const resources = stack.resource[type] ?? {};
  const r = resources[label];
  if (r === undefined) throw new Error(`no ${type}.${label}`);
  const changed = edit(String(r[field]));
  expect(changed, `tampering with ${type}.${label}.${field} changed nothing`).not.toBe(String(r[field]));
  return { ...stack, resource: { ...stack.resource, [type]: { ...resources, [label]: { ...r, [field]: changed } } } };
}

const failed = (check: ClusterCheck, pattern: RegExp) => check.failures.some((f) => pattern.test(f));

describe('the simulation harness (legacy)', () => {
  const seed = () =>
    clustersOf(listCases().find((x) => x.name === 'seed-example') as GoldenCase).then((cs) => cs[0] as ClusterInput & { stack: Stack });

  it('fails a node policy widened to ec2:* and hostedzone/*', async () => {
    const cluster = await seed();
    const stack = tamper(cluster.stack, 'aws_iam_role_policy', 'nodes-seed-example-com', 'policy', (p) =>
      p.replace('"ec2:Describe*"', '"ec2:*"').replace('hostedzone/${var.hosted_zone_id}', 'hostedzone/*'),
    );
    const check = await checkCluster({ ...cluster, stack });
    expect(failed(check, /node: ec2:RunInstances/)).toBe(true);
    expect(failed(check, /node: ec2:TerminateInstances/)).toBe(true);
    expect(failed(check, /ChangeResourceRecordSets on arn:aws:route53:::hostedzone\/ZOTHER/)).toBe(true);
  });

  it('fails a dropped additional policy and a policy of the wrong partition', async () => {
    const cluster = await seed();
    const { 'additional-nodes-seed-example-com': _dropped, ...policies } = cluster.stack.resource.aws_iam_role_policy ?? {};
    const stack = tamper(
      { ...cluster.stack, resource: { ...cluster.stack.resource, aws_iam_role_policy: policies } },
      'aws_iam_role_policy',
      'masters-seed-example-com',
      'policy',
      (p) => p.replace(/arn:aws:/g, 'arn:aws-cn:'),
    );
    const check = await checkCluster({ ...cluster, stack });
    expect(
      failed(
        check,
        /node: inline policies \[nodes\.seed\.example\.com\], expected \[additional\.nodes\.seed\.example\.com, nodes\.seed\.example\.com\]/,
      ),
    ).toBe(true);
    expect(failed(check, /node: additional policy: dynamodb:\S+ on \*: ImplicitlyDenied, expected Allowed/)).toBe(true);
    expect(failed(check, /master: route53:GetChange on arn:aws:route53:::change\/\S+: ImplicitlyDenied, expected Allowed/)).toBe(true);
  });

  it('lets a Deny in an additional policy win over kops defaults', async () => {
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/masters.x`;
    const own = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] };
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' }] };
    const req = { action: 'ec2:TerminateInstances', resource: `arn:aws:ec2:eu-central-1:${TEST_ACCOUNT}:instance/i-0123456789abcdef0` };
    expect(await simulate(role, [{ name: 'own', policy: own }], req)).toBe('Allowed');
    expect(
      await simulate(
        role,
        [
          { name: 'own', policy: own },
          { name: 'extra', policy: deny },
        ],
        req,
      ),
    ).toBe('ExplicitlyDenied');
  });
});

describe('Terraform template evaluation', () => {
  const stack: StackJson = {
    provider: { aws: [{ region: 'cn-north-1' }] },
    variable: { hosted_zone_id: {} },
    data: { aws_kms_alias: { k: { name: 'alias/etcd' } }, aws_caller_identity: { current: {} } },
    resource: { aws_iam_openid_connect_provider: { c: { url: 'https://oidc.example.cn/c' } } },
  };

  it('unescapes $${ and %%{ and resolves the zone variable, KMS lookups, the account and the OIDC provider', () => {
    const out = evaluateTemplate(
      'a $${aws:username} %%{x} hostedzone/${var.hosted_zone_id} ${data.aws_kms_alias.k.target_key_arn} ' +
        '${data.aws_caller_identity.current.account_id} ${aws_iam_openid_connect_provider.c.arn}',
      stack,
      'aws-cn',
    );
    const key = `arn:aws-cn:kms:cn-north-1:${TEST_ACCOUNT}:key/[0-9a-f-]{36}`;
    const oidc = `arn:aws-cn:iam::${TEST_ACCOUNT}:oidc-provider/oidc\\.example\\.cn/c`;
    expect(out).toMatch(
      new RegExp(`^a \\$\\{aws:username\\} %\\{x\\} hostedzone/${TEST_ZONE_VARIABLE_VALUE} ${key} ${TEST_ACCOUNT} ${oidc}$`),
    );
  });

  it('refuses references it does not know', () => {
    expect(() => evaluateTemplate('${data.aws_kms_key.missing.arn}', stack, 'aws')).toThrow(/does not declare/);
    expect(() => evaluateTemplate('${aws_iam_openid_connect_provider.missing.arn}', stack, 'aws')).toThrow(/does not declare/);
    expect(() => evaluateTemplate('${aws_iam_role.x.arn}', stack, 'aws')).toThrow(/unexpected Terraform expression/);
    expect(() => evaluateTemplate('%{if true}x%{endif}', stack, 'aws')).toThrow(/directive/);
  });
});

const STRICT_HARNESS_CASE = `
apiVersion: kops.k8s.io/v1alpha2
kind: Cluster
metadata:
  name: harness.example.com
spec:
  cloudProvider: aws
  configBase: s3://harness-state/harness.example.com
  dnsZone: Z0HARNESS0000001
  kubernetesVersion: 1.32.0
  networkCIDR: 172.20.0.0/16
  networking:
    amazonvpc: {}
  subnets:
  - {cidr: 172.20.32.0/19, name: eu-west-1a, type: Public, zone: eu-west-1a}
  etcdClusters:
  - name: main
    etcdMembers:
    - instanceGroup: control-plane
      name: a
      encryptedVolume: true
      kmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
  - name: events
    etcdMembers:
    - {instanceGroup: control-plane, name: a}
  iam:
    permissionsBoundary: arn:aws:iam::123456789012:policy/kops-boundary
    useServiceAccountExternalPermissions: true
    serviceAccountExternalPermissions:
    - name: reader
      namespace: team-*
      aws:
        inlinePolicy: |
          [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::team-data/*"]},
           {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": ["arn:aws:dynamodb:eu-west-1:123456789012:table/team"]}]
    - name: app
      namespace: apps
      aws:
        policyARNs: [arn:aws:iam::123456789012:policy/app-policy]
  karpenter: {enabled: true}
  clusterAutoscaler: {enabled: true}
  serviceAccountIssuerDiscovery:
    discoveryStore: s3://harness-oidc/discovery
    enableAWSOIDCProvider: true
    additionalAudiences: [sts.amazonaws.com]
  externalPolicies:
    node: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
  additionalPolicies:
    node: |
      [{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]},
       {"Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": ["arn:aws:sqs:eu-west-1:123456789012:harness-events"]}]
---
apiVersion: kops.k8s.io/v1alpha2
kind: InstanceGroup
metadata: {name: control-plane, labels: {kops.k8s.io/cluster: harness.example.com}}
spec: {role: ControlPlane, subnets: [eu-west-1a]}
---
apiVersion: kops.k8s.io/v1alpha2
kind: InstanceGroup
metadata: {name: nodes, labels: {kops.k8s.io/cluster: harness.example.com}}
spec: {role: Node, subnets: [eu-west-1a]}
---
apiVersion: kops.k8s.io/v1alpha2
kind: InstanceGroup
metadata: {name: karpenter-nodes, labels: {kops.k8s.io/cluster: harness.example.com}}
spec:
  role: Node
  manager: Karpenter
  rootVolumeEncryption: true
  rootVolumeEncryptionKey: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
  subnets: [eu-west-1a]
`;

describe('the simulation harness (strict, a case of its own)', () => {
  let cached: Promise<ClusterInput & { stack: Stack }> | undefined;
  const harness = () => (cached ??= ownCase('harness', STRICT_HARNESS_CASE));
  const label = 'harness-example-com';

  it('passes kops-iam’s output: boundaries cap the additional policy, IRSA roles trust their own token', async () => {
    const check = await checkCluster(await harness());
    count(check);
    expect(check.failures).toEqual([]);
    expect(check.asserted.user).toBeGreaterThan(0);
  }, 180_000);

  it('fails a control-plane volume grant without its tag condition (any cluster’s volumes)', async () => {
    const cluster = await harness();
    const stack = tamper(cluster.stack, 'aws_iam_role_policy', `masters-${label}`, 'policy', (p) =>
      p.replace(
        /"Condition":\{"StringEquals":\{"aws:ResourceTag\/k8s\.io\/role\/master":"1","aws:ResourceTag\/KubernetesCluster":"[^"]*"\}\}/,
        '"Condition":{}',
      ),
    );
    const check = await checkCluster({ ...cluster, stack });
    expect(
      failed(
        check,
        /master: ec2:AttachVolume on \S+ with \{"aws:ResourceTag\/KubernetesCluster":"someone-else[^}]*\}: Allowed, expected ImplicitlyDenied/,
      ),
    ).toBe(true);
  }, 180_000);

  it('fails KMS grants without kms:ViaService, and Karpenter terminating untagged instances', async () => {
    const cluster = await harness();
    let stack = tamper(cluster.stack, 'aws_iam_role_policy', `masters-${label}`, 'policy', (p) =>
      p.replace(/,"Condition":\{"StringLike":\{"kms:ViaService":\[[^\]]*\]\}\}/, ''),
    );
    stack = tamper(stack, 'aws_iam_role_policy', `karpenter-kube-system-sa-${label}`, 'policy', (p) =>
      p.replace(
        /("Action":\["ec2:DeleteLaunchTemplate","ec2:TerminateInstances"\],"Resource":\[[^\]]*\]),"Condition":\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/,
        '$1',
      ),
    );
    const check = await checkCluster({ ...cluster, stack });
    expect(failed(check, /master: kms:Decrypt on \S+ with \{"kms:ViaService":"lambda\.[^}]*\}: Allowed, expected ImplicitlyDenied/)).toBe(
      true,
    );
    expect(failed(check, /sa:kube-system\/karpenter: ec2:TerminateInstances on \S+: Allowed, expected ImplicitlyDenied/)).toBe(true);
  }, 180_000);

  it('fails a service-account trust that admits every service account, and a dropped boundary', async () => {
    const cluster = await harness();
    let stack = tamper(cluster.stack, 'aws_iam_role', `dns-controller-kube-system-sa-${label}`, 'assume_role_policy', (p) =>
      p.replace('"StringEquals"', '"StringLike"').replace('system:serviceaccount:kube-system:dns-controller', 'system:serviceaccount:*'),
    );
    stack = tamper(stack, 'aws_iam_role', `nodes-${label}`, 'permissions_boundary', () => 'undefined');
    const { permissions_boundary: _gone, ...node } = stack.resource.aws_iam_role?.[`nodes-${label}`] ?? {};
    stack = { ...stack, resource: { ...stack.resource, aws_iam_role: { ...stack.resource.aws_iam_role, [`nodes-${label}`]: node } } };
    const check = await checkCluster({ ...cluster, stack });
    expect(
      failed(
        check,
        /sa:kube-system\/dns-controller: trust: the token of kube-system\/dns-controller-other: Allowed, expected ImplicitlyDenied/,
      ),
    ).toBe(true);
    expect(failed(check, /node: permissions_boundary undefined, expected arn:aws:iam::123456789012:policy\/kops-boundary/)).toBe(true);
    expect(failed(check, /node: additional policy: dynamodb:\S+ on \*: Allowed, expected ImplicitlyDenied/)).toBe(true);
  }, 180_000);
});
