import { describe, expect, it } from 'vitest';
import { planCluster, terraformExpression, HOSTED_ZONE_VARIABLE } from '../src/plan';
import { renderPolicy } from '../src/policy';
import { clusterYaml, instanceGroupYaml, loadOne } from './helpers';

const ADDITIONAL = '  additionalPolicies:\n    node: |\n      [{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}]';

describe('planCluster names and logical ids', () => {
  it('uses kops names R.<c> and Terraform ids R-<c->', async () => {
    const { plan } = await loadOne(clusterYaml('minimal.example.com', ADDITIONAL));
    expect(plan.cluster).toBe('minimal.example.com');
    expect(plan.region).toBe('eu-central-1');
    expect(plan.partition.name).toBe('aws');
    const node = plan.roles.find((r) => r.role === 'node')!;
    expect(node).toMatchObject({
      plural: 'nodes',
      logicalId: 'nodes-minimal-example-com',
      additionalLogicalId: 'additional-nodes-minimal-example-com',
      roleName: 'nodes.minimal.example.com',
      instanceProfileName: 'nodes.minimal.example.com',
      policyName: 'nodes.minimal.example.com',
      additionalPolicyName: 'additional.nodes.minimal.example.com',
    });
    const master = plan.roles.find((r) => r.role === 'master')!;
    expect(master).toMatchObject({ plural: 'masters', logicalId: 'masters-minimal-example-com', roleName: 'masters.minimal.example.com' });
  });

  it('lists roles in kops order: master, node, bastion', async () => {
    const text = [clusterYaml('o.example.com'), instanceGroupYaml('b', 'Bastion'), instanceGroupYaml('n', 'Node'), instanceGroupYaml('m', 'Master')].join('\n---\n');
    const { plan } = await loadOne(text);
    expect(plan.roles.map((r) => r.plural)).toEqual(['masters', 'nodes', 'bastions']);
  });

  it('fits long names into IAM limits (role 64, profile and policies 128), deterministically', async () => {
    const name = `${'long-segment-label.'.repeat(7)}example.com`; // 144 characters: every name is shortened
    const { plan } = await loadOne(clusterYaml(name, '  topology:\n    bastion: {}'));
    for (const r of plan.roles) {
      expect(r.roleName.length).toBeLessThanOrEqual(64);
      expect(r.instanceProfileName.length).toBeLessThanOrEqual(128);
      expect(r.policyName.length).toBeLessThanOrEqual(128);
      expect(r.additionalPolicyName.length).toBeLessThanOrEqual(128);
      expect(r.roleName).toMatch(/-[0-9a-f]{8}$/);
      expect(r.roleName.startsWith(`${r.plural}.long-segment-`)).toBe(true);
      expect(r.instanceProfileName).toMatch(/-[0-9a-f]{8}$/);
      expect(r.additionalPolicyName.startsWith(`additional.${r.plural}.`)).toBe(true);
    }
    expect(new Set(plan.roles.map((r) => r.roleName)).size).toBe(plan.roles.length);
    const again = await loadOne(clusterYaml(name, '  topology:\n    bastion: {}'));
    expect(again.plan.roles.map((r) => r.roleName)).toEqual(plan.roles.map((r) => r.roleName));
  });

  it('is pure: the same model gives the same plan', async () => {
    const { model, plan } = await loadOne(clusterYaml('p.example.com', ADDITIONAL));
    expect(planCluster(model)).toEqual(plan);
  });
});

describe('trust policy', () => {
  it('lets EC2 assume the role', async () => {
    const { plan } = await loadOne(clusterYaml('t.example.com'));
    for (const r of plan.roles) {
      expect(JSON.parse(r.assumeRolePolicy)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
  });
});

describe('additional policies in the plan', () => {
  it('are kept verbatim as user statements, for their role only', async () => {
    const { plan } = await loadOne(clusterYaml('a.example.com', ADDITIONAL));
    const node = plan.roles.find((r) => r.role === 'node')!;
    expect(node.additional).toEqual({ statements: [], userStatements: [{ Effect: 'Allow', Action: ['dynamodb:*'], Resource: ['*'] }] });
    expect(plan.roles.find((r) => r.role === 'master')!.additional).toBeUndefined();
  });
});

describe('outputs', () => {
  it('are cluster_name, region, then R_role_arn and R_role_name per role in use', async () => {
    const { plan } = await loadOne(clusterYaml('out.example.com', '  topology:\n    bastion: {}'));
    expect(plan.outputs).toEqual([
      { name: 'cluster_name', value: { kind: 'literal', value: 'out.example.com' } },
      { name: 'region', value: { kind: 'literal', value: 'eu-central-1' } },
      { name: 'masters_role_arn', value: { kind: 'role-arn', role: 'master' } },
      { name: 'masters_role_name', value: { kind: 'role-name', role: 'master' } },
      { name: 'nodes_role_arn', value: { kind: 'role-arn', role: 'node' } },
      { name: 'nodes_role_name', value: { kind: 'role-name', role: 'node' } },
      { name: 'bastions_role_arn', value: { kind: 'role-arn', role: 'bastion' } },
      { name: 'bastions_role_name', value: { kind: 'role-name', role: 'bastion' } },
    ]);
  });
});

describe('custom roles', () => {
  const custom = '  customPolicies:\n    node: arn:aws:iam::123456789012:role/team/kops-node';

  it('have no policy; the instance profile uses the existing role name, outputs carry its ARN', async () => {
    const { plan } = await loadOne(clusterYaml('c.example.com', custom), '+CustomPoliciesSupport');
    const node = plan.roles.find((r) => r.role === 'node')!;
    expect(node.policy).toBeUndefined();
    expect(node.additional).toBeUndefined();
    expect(node.custom).toEqual({ arn: 'arn:aws:iam::123456789012:role/team/kops-node', name: 'kops-node' });
    expect(node.roleName).toBe('kops-node');
    expect(node.instanceProfileName).toBe('nodes.c.example.com');
    expect(plan.outputs).toContainEqual({ name: 'nodes_role_arn', value: { kind: 'literal', value: 'arn:aws:iam::123456789012:role/team/kops-node' } });
    expect(plan.outputs).toContainEqual({ name: 'nodes_role_name', value: { kind: 'literal', value: 'kops-node' } });
    expect(plan.roles.find((r) => r.role === 'master')!.policy).toBeDefined();
  });
});

describe('inputs', () => {
  it('declare nothing for a literal zone ID and key ARNs', async () => {
    const { plan } = await loadOne(clusterYaml('i.example.com', '  dnsZone: Z123'));
    expect(plan.inputs).toEqual([]);
  });

  it('declare a zone lookup named dns-<c->', async () => {
    const { plan } = await loadOne(clusterYaml('i.example.com', '  dnsZone: example.com'));
    expect(plan.inputs).toEqual([{ kind: 'hosted-zone-lookup', id: 'dns-i-example-com', name: 'example.com', private: false }]);
  });

  it('declare the hosted_zone_id variable without dnsZone', async () => {
    const { plan } = await loadOne(clusterYaml('i.example.com'));
    expect(plan.inputs).toEqual([{ kind: 'hosted-zone-variable', id: HOSTED_ZONE_VARIABLE }]);
  });

  it('declare one KMS lookup per distinct key id or alias', async () => {
    const etcd = [
      '  etcdClusters:',
      '  - etcdMembers:',
      '    - {name: a, encryptedVolume: true, kmsKeyId: alias/etcd}',
      '    - {name: b, encryptedVolume: true, kmsKeyId: alias/etcd}',
      '  - etcdMembers:',
      '    - {name: a, encryptedVolume: true, kmsKeyId: alias/etcd}',
    ].join('\n');
    const { plan } = await loadOne(clusterYaml('i.example.com', `  dnsZone: Z1\n${etcd}`));
    expect(plan.inputs).toEqual([{ kind: 'kms-alias-lookup', id: 'etcd-i-example-com-alias-etcd', alias: 'alias/etcd' }]);
  });
});

describe('terraformExpression', () => {
  it('writes variable, data-source and attribute references', async () => {
    const v = (await loadOne(clusterYaml('e.example.com'))).plan;
    expect(terraformExpression(v, { input: 'hosted_zone_id', attribute: 'value' })).toBe('${var.hosted_zone_id}');
    const d = (await loadOne(clusterYaml('e.example.com', '  dnsZone: example.com'))).plan;
    expect(terraformExpression(d, { input: 'dns-e-example-com', attribute: 'zone_id' })).toBe('${data.aws_route53_zone.dns-e-example-com.zone_id}');
  });

  it('throws for an input the plan does not have (a bug, not bad input)', async () => {
    const { plan } = await loadOne(clusterYaml('e.example.com'));
    expect(() => terraformExpression(plan, { input: 'nope', attribute: 'x' })).toThrow(/no input 'nope'/);
  });

  it('is spliced into policies unescaped, while literal ${ is escaped', async () => {
    const extra = '  additionalPolicies:\n    node: |\n      [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]';
    const { plan } = await loadOne(clusterYaml('e.example.com', extra));
    const node = plan.roles.find((r) => r.role === 'node')!;
    const resolve = (ref: { input: string; attribute: string }) => terraformExpression(plan, ref);
    expect(renderPolicy(node.policy!, resolve, { terraform: true })).toContain('hostedzone/${var.hosted_zone_id}"');
    expect(renderPolicy(node.additional!, resolve, { terraform: true })).toContain('arn:aws:s3:::b/$${aws:username}/*');
    expect(renderPolicy(node.additional!, resolve)).toContain('arn:aws:s3:::b/${aws:username}/*');
  });
});
