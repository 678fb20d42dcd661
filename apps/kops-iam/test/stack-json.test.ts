import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterStack, terraformJsonText } from '../src/cluster-stack';
import { StackSynthesizer } from '../src/stack-json';
import { clusterYaml, planOf, plansOf } from './helpers';

const outdir = mkdtempSync(join(tmpdir(), 'kops-iam-stack-json-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The reference: cdktf's own TerraformStack.toTerraform, through ClusterStack. */
function viaCdktf(plan: Awaited<ReturnType<typeof planOf>>): string {
  return terraformJsonText(new ClusterStack(new App({ outdir, stackTraces: false }), plan.cluster, plan).toTerraform());
}

const kms = ['  etcdClusters:', '  - name: main', '    etcdMembers:', '    - {name: a, encryptedVolume: true, kmsKeyId: 0987dcba-09fe-47dc-a5ba-ab0987654321}', '    - {name: b, encryptedVolume: true, kmsKeyId: alias/etcd}', '    - {name: c, encryptedVolume: true, kmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}'].join('\n');
const additional = ['  additionalPolicies:', '    node: |', '      [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/${aws:username}/*"]}]', '    bastion: |', '      [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]', '  topology:', '    bastion: {}'].join('\n');

const cases: [string, string, string?][] = [
  ['zone id', '  dnsZone: Z1'],
  ['no zone: a variable', ''],
  ['private zone by name', '  dnsZone: internal.example.com\n  topology:\n    dns:\n      type: Private'],
  ['gossip', '', 'g.k8s.local'],
  ['etcd KMS keys of three kinds', `  dnsZone: Z1\n${kms}`],
  ['additional policies with a ${} to escape, and a bastion', `  dnsZone: Z1\n  configBase: s3://state/c\n${additional}`],
  ['china', '  dnsZone: Z1\n  configBase: s3://state-cn/c'],
];

describe('StackSynthesizer', () => {
  for (const [what, extra, name] of cases) {
    it(`writes what cdktf's own toTerraform gives: ${what}`, async () => {
      const zone = what === 'china' ? 'cn-north-1a' : 'eu-central-1a';
      const plan = await planOf(clusterYaml(name ?? 'c.example.com', extra, zone));
      expect(new StackSynthesizer(outdir).synthesize(plan)).toBe(viaCdktf(plan));
    });
  }

  it('writes what cdktf gives for a custom role', async () => {
    const plan = await planOf(clusterYaml('c.example.com', '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node'), '+CustomPoliciesSupport');
    expect(new StackSynthesizer(outdir).synthesize(plan)).toBe(viaCdktf(plan));
  });

  it('gives the same text for a cluster however many stacks came before it', async () => {
    const plans = await plansOf(['a', 'b', 'c'].map((n) => clusterYaml(`${n}.example.com`, '  dnsZone: Z1')).join('---\n'));
    const fresh = plans.map((p) => new StackSynthesizer(outdir).synthesize(p));
    const shared = new StackSynthesizer(outdir);
    const again = [...plans, ...plans].map((p) => shared.synthesize(p));
    expect(again).toEqual([...fresh, ...fresh]);
  });

  it('keeps no token of a finished stack in cdktf\'s process-wide token registry', async () => {
    const registry = (globalThis as { __cdktfTokenMap?: { stringTokenMap: Map<string, unknown> } }).__cdktfTokenMap;
    const plans = await plansOf(['a', 'b'].map((n) => clusterYaml(`${n}.example.com`, '  dnsZone: Z1')).join('---\n'));
    const s = new StackSynthesizer(outdir);
    s.synthesize(plans[0]!);
    const after = registry?.stringTokenMap.size;
    for (let i = 0; i < 20; i += 1) s.synthesize(plans[i % 2]!);
    expect(registry?.stringTokenMap.size).toBe(after);
  });

  it('restores Error.captureStackTrace, also when the construct throws', async () => {
    const before = Error.captureStackTrace;
    const plan = await planOf(clusterYaml('c.example.com', '  dnsZone: Z1'));
    new StackSynthesizer(outdir).synthesize(plan);
    expect(Error.captureStackTrace).toBe(before);
    const broken = { ...plan, outputs: [{ name: 'x', value: { kind: 'role-arn' as const, role: 'bastion' as const } }] };
    expect(() => new StackSynthesizer(outdir).synthesize(broken)).toThrow(/output refers to role bastion/);
    expect(Error.captureStackTrace).toBe(before);
  });
});
