import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IamPlan } from '@kops-iam/core';
import { App, Lazy, TerraformElement, Token } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStack, terraformJsonText, type ClusterStackOptions } from '../src/cluster-stack';
import { isPlainJson, StackSynthesizer } from '../src/stack-json';
import { instanceGroup, irsaSpec, legacyCluster, planOf, plansOf, strictCluster, yamlStream } from './manifests';

const outdir = mkdtempSync(join(tmpdir(), 'kops-iam-stack-json-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The reference: cdktf's own TerraformStack.toTerraform, through ClusterStack. */
function viaCdktf(plan: IamPlan, options?: ClusterStackOptions): string {
  return terraformJsonText(new ClusterStack(new App({ outdir, stackTraces: false }), plan.cluster, plan, options).toTerraform());
}

const kms = [
  '  etcdClusters:',
  '  - name: main',
  '    etcdMembers:',
  '    - {name: a, encryptedVolume: true, kmsKeyId: 0987dcba-09fe-47dc-a5ba-ab0987654321}',
  '    - {name: b, encryptedVolume: true, kmsKeyId: alias/etcd}',
  '    - {name: c, encryptedVolume: true, kmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}',
].join('\n');
const additional = [
  '  additionalPolicies:',
  '    node: |',
  '      [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/${aws:username}/*"]}]',
  '    bastion: |',
  '      [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]',
  '  topology:',
  '    bastion: {}',
].join('\n');
const external = '  externalPolicies:\n    node: [arn:aws:iam::123456789012:policy/a, arn:aws:iam::123456789012:policy/b]';
// A `//` key is a tag like any other (Terraform reads `//` as a comment only in a block body).
const labelsAndBoundary =
  '  cloudLabels:\n    Owner: John Doe\n    foo/bar: fib+baz\n    "//": a tag not a comment\n' +
  '  iam:\n    permissionsBoundary: arn:aws:iam::123456789012:policy/boundaries';
const addonRoles = irsaSpec('    useServiceAccountExternalPermissions: true').replace(
  '  dnsZone: Z1D633PJN98FT9\n',
  '  dnsZone: example.com\n',
);
const existingProfile = '  iam:\n    profile: arn:aws:iam::123456789012:instance-profile/shared-masters';
const custom = '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';

/** [what, manifest text, feature flags] */
const cases: [string, string, string?][] = [
  ['legacy, zone id', legacyCluster('c.example.com', '  dnsZone: Z1')],
  ['legacy, no zone: a variable', legacyCluster('c.example.com')],
  [
    'legacy, private zone by name',
    legacyCluster('c.example.com', '  dnsZone: internal.example.com\n  topology:\n    dns:\n      type: Private'),
  ],
  ['legacy, gossip', legacyCluster('g.k8s.local')],
  ['legacy, etcd KMS keys of three kinds', legacyCluster('c.example.com', `  dnsZone: Z1\n${kms}`)],
  ['legacy, additional policies with a ${} to escape, and a bastion', legacyCluster('c.example.com', `  dnsZone: Z1\n${additional}`)],
  ['legacy, china', legacyCluster('c.example.com', '  dnsZone: Z1\n  configBase: s3://state-cn/c', 'cn-north-1a')],
  ['legacy, a custom role', legacyCluster('c.example.com', custom), '+CustomPoliciesSupport'],
  ['strict, with a bastion', strictCluster('s.example.com', '  dnsZone: Z1\n  topology:\n    bastion: {}')],
  [
    'strict, externalPolicies, cloudLabels and a boundary',
    strictCluster('s.example.com', `  dnsZone: Z1\n${external}\n${labelsAndBoundary}`),
  ],
  ['strict, IRSA with the OIDC provider', strictCluster('minimal.example.com', irsaSpec())],
  [
    'strict, IRSA without the provider (the caller account)',
    strictCluster('n.example.com', irsaSpec().replace('    enableAWSOIDCProvider: true\n', '')),
  ],
  ['strict, a cluster name with a leading digit', strictCluster('123.example.com', irsaSpec())],
  ['strict, addon service-account roles', strictCluster('addons.example.com', addonRoles)],
  [
    'strict, an InstanceGroup with its own instance profile',
    yamlStream(
      strictCluster('p.example.com', '  dnsZone: Z1'),
      instanceGroup('p.example.com', 'm', 'Master', existingProfile),
      instanceGroup('p.example.com', 'n', 'Node'),
    ),
  ],
];

let plansFixture: IamPlan;
beforeAll(async () => {
  plansFixture = await planOf(strictCluster('t.example.com', '  dnsZone: Z1'));
});

describe('StackSynthesizer', () => {
  for (const [what, text, flags] of cases) {
    it(`writes what cdktf's own toTerraform gives: ${what}, also with import blocks`, async () => {
      const plan = await planOf(text, flags);
      expect(new StackSynthesizer(outdir).synthesize(plan)).toBe(viaCdktf(plan));
      const imported = new StackSynthesizer(outdir, { importExisting: true }).synthesize(plan);
      expect(imported).toBe(viaCdktf(plan, { importExisting: true }));
      expect(imported.includes('"import": [')).toBe(plan.roles.some((r) => r.type === 'managed' || r.existing.kind === 'role'));
    });
  }

  it('has nothing to resolve in any element of any case: the construct spells its references as expressions', async () => {
    for (const [what, text, flags] of cases) {
      const stack = new ClusterStack(new App({ outdir, stackTraces: false }), 'x', await planOf(text, flags), { importExisting: true });
      const elements = stack.node.findAll().filter((e): e is TerraformElement => TerraformElement.isTerraformElement(e));
      expect(
        elements.filter((e) => !isPlainJson(e.toTerraform())).map((e) => e.node.path),
        what,
      ).toEqual([]);
    }
  });

  it('finds what cdktf would resolve: tokens in strings, keys, numbers and lists, lazy values, undefined in a list', () => {
    const role = new ClusterStack(new App({ outdir, stackTraces: false }), 'y', plansFixture, {}).iam.roles.get('node')!;
    for (const v of [{ a: role.roleArn }, { [role.roleName]: 1 }, [Token.asNumber(role.roleArn)], { l: Token.asList(role.roleArn) }])
      expect(isPlainJson(v), JSON.stringify(v)).toBe(false);
    expect(isPlainJson({ a: Lazy.stringValue({ produce: () => 'x' }) })).toBe(false);
    expect(isPlainJson([1, undefined])).toBe(false);
    expect(isPlainJson({ a: '${aws_iam_role.x.arn}', b: [1, true, null, { c: 'd' }], e: undefined })).toBe(true);
  });

  it('gives the same text for a cluster however many stacks came before it', async () => {
    const plans = await plansOf(yamlStream(...['a', 'b', 'c'].map((n) => strictCluster(`${n}.example.com`, irsaSpec()))));
    const fresh = plans.map((p) => new StackSynthesizer(outdir, { importExisting: true }).synthesize(p));
    const shared = new StackSynthesizer(outdir, { importExisting: true });
    const again = [...plans, ...plans].map((p) => shared.synthesize(p));
    expect(again).toEqual([...fresh, ...fresh]);
  });

  it("keeps no token of a finished stack in cdktf's process-wide token registry", async () => {
    const registry = (globalThis as { __cdktfTokenMap?: { stringTokenMap: Map<string, unknown> } }).__cdktfTokenMap;
    const plans = await plansOf(yamlStream(...['a', 'b'].map((n) => strictCluster(`${n}.example.com`, irsaSpec()))));
    const s = new StackSynthesizer(outdir, { importExisting: true });
    s.synthesize(plans[0]!);
    const after = registry?.stringTokenMap.size;
    for (let i = 0; i < 20; i += 1) s.synthesize(plans[i % 2]!);
    expect(registry?.stringTokenMap.size).toBe(after);
  });

  it('restores Error.captureStackTrace, also when the construct throws', async () => {
    const before = Error.captureStackTrace;
    const plan = await planOf(legacyCluster('c.example.com', '  dnsZone: Z1'));
    new StackSynthesizer(outdir).synthesize(plan);
    expect(Error.captureStackTrace).toBe(before);
    const broken: IamPlan = { ...plan, roles: [...plan.roles, plan.roles[0]!] };
    expect(() => new StackSynthesizer(outdir).synthesize(broken)).toThrow(/There is already a Construct with name/);
    expect(Error.captureStackTrace).toBe(before);
  });
});
