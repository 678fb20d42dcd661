import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { KopsIamRoles } from '../src/kops-iam-roles';
import { clusterYaml, planOf, plansOf } from './helpers';

type Json = { resource?: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, Record<string, Record<string, unknown>>>; variable?: Record<string, unknown>; output?: Record<string, { value: unknown }> };

describe('KopsIamRoles in a stack of the user', () => {
  it('holds two clusters, each scoped to the zone passed as hostedZoneId', async () => {
    const [a, b] = await plansOf([clusterYaml('a.example.com'), clusterYaml('b.example.com', '', 'us-east-1a')].join('---\n'));
    const synth = Testing.synthScope((scope) => {
      new KopsIamRoles(scope, 'cluster-a', { plan: a!, hostedZoneId: 'ZAAAA' });
      new KopsIamRoles(scope, 'cluster-b', { plan: b!, hostedZoneId: 'ZBBBB' });
    });
    const json = JSON.parse(synth) as Json;
    expect(json.variable).toBeUndefined();
    for (const [c, zone] of [['a', 'ZAAAA'], ['b', 'ZBBBB']] as const) {
      for (const plural of ['masters', 'nodes']) {
        expect(Testing.toHaveResourceWithProperties(synth, 'aws_iam_role', { name: `${plural}.${c}.example.com` })).toBe(true);
        expect(Testing.toHaveResourceWithProperties(synth, 'aws_iam_instance_profile', { name: `${plural}.${c}.example.com`, role: `\${aws_iam_role.${plural}-${c}-example-com.name}` })).toBe(true);
        const policy = String(json.resource!.aws_iam_role_policy![`${plural}-${c}-example-com`]!.policy);
        expect(policy).toContain(`"arn:aws:route53:::hostedzone/${zone}"`);
        expect(policy).not.toContain(zone === 'ZAAAA' ? 'ZBBBB' : 'ZAAAA');
      }
    }
    expect(Object.keys(json.resource!.aws_iam_role!).sort()).toEqual(['masters-a-example-com', 'masters-b-example-com', 'nodes-a-example-com', 'nodes-b-example-com']);
  });

  it('refuses a second cluster that would share the hosted_zone_id variable', async () => {
    const [a, b] = await plansOf([clusterYaml('a.example.com'), clusterYaml('b.example.com')].join('---\n'));
    expect(() =>
      Testing.synthScope((scope) => {
        new KopsIamRoles(scope, 'a', { plan: a! });
        new KopsIamRoles(scope, 'b', { plan: b! });
      }),
    ).toThrow(/var\.hosted_zone_id is already declared.*hostedZoneId/);
  });

  it('refuses the same cluster twice in one stack', async () => {
    const plan = await planOf(clusterYaml('a.example.com', '  dnsZone: Z1'));
    expect(() =>
      Testing.synthScope((scope) => {
        new KopsIamRoles(scope, 'one', { plan });
        new KopsIamRoles(scope, 'two', { plan });
      }),
    ).toThrow(/aws_iam_role\.masters-a-example-com is already declared/);
  });

  it('declares the hosted_zone_id variable when the spec has no dnsZone and no hostedZoneId is given', async () => {
    const plan = await planOf(clusterYaml('v.example.com'));
    const json = JSON.parse(Testing.synthScope((scope) => new KopsIamRoles(scope, 'iam', { plan }))) as Json;
    expect(json.variable).toEqual({ hosted_zone_id: expect.objectContaining({ type: 'string', nullable: false }) });
    expect(String(json.resource!.aws_iam_role_policy!['nodes-v-example-com']!.policy)).toContain('hostedzone/${var.hosted_zone_id}"');
  });

  it('looks a zone name up with aws_route53_zone, private with topology.dns.type Private', async () => {
    const plan = await planOf(clusterYaml('p.example.com', '  dnsZone: internal.example.com\n  topology:\n    dns:\n      type: Private'));
    const synth = Testing.synthScope((scope) => new KopsIamRoles(scope, 'iam', { plan }));
    expect(Testing.toHaveDataSourceWithProperties(synth, 'aws_route53_zone', { name: 'internal.example.com', private_zone: true })).toBe(true);
    const json = JSON.parse(synth) as Json;
    expect(Object.keys(json.data!.aws_route53_zone!)).toEqual(['dns-p-example-com']);
    expect(String(json.resource!.aws_iam_role_policy!['masters-p-example-com']!.policy)).toContain('hostedzone/${data.aws_route53_zone.dns-p-example-com.zone_id}"');
  });

  it('looks KMS key ids and aliases up with aws_kms_key and aws_kms_alias', async () => {
    const etcd = [
      '  dnsZone: Z1',
      '  etcdClusters:',
      '  - etcdMembers:',
      '    - {name: a, encryptedVolume: true, kmsKeyId: 0987dcba-09fe-47dc-a5ba-ab0987654321}',
      '    - {name: b, encryptedVolume: true, kmsKeyId: alias/etcd}',
    ].join('\n');
    const plan = await planOf(clusterYaml('k.example.com', etcd));
    const synth = Testing.synthScope((scope) => new KopsIamRoles(scope, 'iam', { plan }));
    expect(Testing.toHaveDataSourceWithProperties(synth, 'aws_kms_key', { key_id: '0987dcba-09fe-47dc-a5ba-ab0987654321' })).toBe(true);
    expect(Testing.toHaveDataSourceWithProperties(synth, 'aws_kms_alias', { name: 'alias/etcd' })).toBe(true);
    const policy = JSON.parse(String((JSON.parse(synth) as Json).resource!.aws_iam_role_policy!['masters-k-example-com']!.policy)) as { Statement: { Sid: string; Resource: unknown }[] };
    expect(policy.Statement.find((s) => s.Sid === 'EtcdVolumeKMS')!.Resource).toEqual([
      '${data.aws_kms_key.etcd-k-example-com-0987dcba-09fe-47dc-a5ba-ab0987654321.arn}',
      '${data.aws_kms_alias.etcd-k-example-com-alias-etcd.target_key_arn}',
    ]);
  });

  it('exposes role ARNs and names for the user to wire into their own resources', async () => {
    const plan = await planOf(clusterYaml('w.example.com', '  dnsZone: Z1'));
    const synth = Testing.synthScope((scope) => {
      const iam = new KopsIamRoles(scope, 'iam', { plan });
      new TerraformOutput(scope, 'node_arn', { value: iam.roles.get('node')!.roleArn });
      new TerraformOutput(scope, 'node_profile', { value: iam.roles.get('node')!.instanceProfileName });
    });
    const json = JSON.parse(synth) as Json;
    expect(json.output!.node_arn!.value).toBe('${aws_iam_role.nodes-w-example-com.arn}');
    expect(json.output!.node_profile!.value).toBe('${aws_iam_instance_profile.nodes-w-example-com.name}');
  });

  it('creates no role and no policy for a custom role; its instance profile uses the existing role', async () => {
    const plan = await planOf(clusterYaml('c.example.com', '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node'), '+CustomPoliciesSupport');
    let arn = '';
    const synth = Testing.synthScope((scope) => {
      arn = new KopsIamRoles(scope, 'iam', { plan }).roles.get('node')!.roleArn;
    });
    const json = JSON.parse(synth) as Json;
    expect(arn).toBe('arn:aws:iam::123456789012:role/kops-node');
    expect(Object.keys(json.resource!.aws_iam_role!)).toEqual(['masters-c-example-com']);
    expect(Object.keys(json.resource!.aws_iam_role_policy!)).toEqual(['masters-c-example-com']);
    expect(Testing.toHaveResourceWithProperties(synth, 'aws_iam_instance_profile', { name: 'nodes.c.example.com', role: 'kops-node' })).toBe(true);
  });

  it('escapes IAM policy variables as $${ in Terraform JSON', async () => {
    const extra = '  dnsZone: Z1\n  additionalPolicies:\n    node: \'[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]\'';
    const plan = await planOf(clusterYaml('e.example.com', extra));
    const synth = Testing.synthScope((scope) => new KopsIamRoles(scope, 'iam', { plan }));
    expect(Testing.toHaveResourceWithProperties(synth, 'aws_iam_role_policy', { name: 'additional.nodes.e.example.com', policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/$${aws:username}/*"}]}' })).toBe(true);
  });

  it('works in a TerraformStack subclass of the user, with Testing.synth', async () => {
    const plan = await planOf(clusterYaml('s.example.com', '  dnsZone: Z1'));
    class MyStack extends TerraformStack {}
    const stack = new MyStack(Testing.app(), 'mine');
    new KopsIamRoles(stack, 'iam', { plan });
    const synth = Testing.synth(stack);
    expect(Testing.toHaveResourceWithProperties(synth, 'aws_iam_role_policy', { name: 'masters.s.example.com', role: '${aws_iam_role.masters-s-example-com.name}' })).toBe(true);
  });
});
