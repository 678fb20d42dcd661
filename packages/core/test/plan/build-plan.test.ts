import { describe, expect, it } from 'vitest';
import { OIDC_THUMBPRINTS, planCluster } from '../../src/plan/build-plan';
import { rolesInUse } from '../../src/cluster/roles-in-use';
import { Report } from '../../src/diagnostics/report';
import {
  clusterYaml,
  instanceGroupYaml,
  instanceRole,
  legacyClusterYaml,
  loadOne,
  policyJson,
  serviceAccountRole,
  serviceAccountsOf,
  statementsOf,
} from '../helpers';

const ADDITIONAL = '  additionalPolicies:\n    node: |\n      [{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}]';
const POLICY = (name: string) => `arn:aws:iam::123456789012:policy/${name}`;

/** The irsa reference case, trimmed to what decides its IAM (kops' tests/integration/update_cluster/irsa). */
const IRSA = [
  '  iam:',
  '    serviceAccountExternalPermissions:',
  '    - name: myserviceaccount',
  '      namespace: default',
  '      aws:',
  `        policyARNs: [${POLICY('UsersManageOwnCredentials')}]`,
  '    - name: myserviceaccount',
  '      namespace: test-*',
  '      aws:',
  `        policyARNs: [${POLICY('UsersManageOwnCredentials')}]`,
  '    - name: myotherserviceaccount',
  '      namespace: myapp',
  '      aws:',
  '        inlinePolicy: \'[{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}, {"Effect": "Allow", "Action": ["es:*"], ' +
    '"Resource": ["*"]}]\'',
  '  serviceAccountIssuerDiscovery:',
  '    enableAWSOIDCProvider: true',
  '    discoveryStore: memfs://discovery.example.com/minimal.example.com',
  '    additionalAudiences: [sts.amazonaws.com]',
].join('\n');

describe('planCluster: instance roles', () => {
  it("uses kops' names for role, instance profile and policies, EC2 trust, and kops' tags", async () => {
    const { plan } = await loadOne(clusterYaml('minimal.example.com', ADDITIONAL));
    expect([plan.cluster, plan.region, plan.partition.name, plan.generation.kind]).toEqual([
      'minimal.example.com',
      'eu-central-1',
      'aws',
      'strict',
    ]);
    const node = instanceRole(plan, 'node');
    expect(node.roleName).toBe('nodes.minimal.example.com');
    expect(node.instanceProfile).toEqual({ name: 'nodes.minimal.example.com' });
    expect(node.policies.map((p) => [p.kind, p.name, p.at?.path])).toEqual([
      ['additional', 'additional.nodes.minimal.example.com', 'spec.additionalPolicies.node'],
    ]);
    // Kept as written, for its role only.
    expect(statementsOf(node, 'additional')).toEqual([{ Effect: 'Allow', Action: ['dynamodb:*'], Resource: ['*'] }]);
    expect(policyJson(node.trust).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(node.tags).toEqual([
      ['KubernetesCluster', 'minimal.example.com'],
      ['Name', 'nodes.minimal.example.com'],
      ['kubernetes.io/cluster/minimal.example.com', 'owned'],
    ]);
    expect(node.attachments).toEqual([]);
    expect(node.permissionsBoundary).toBeUndefined();
    const master = instanceRole(plan, 'master');
    expect(master.policies.map((p) => [p.kind, p.name])).toEqual([['role', 'masters.minimal.example.com']]);
    expect(statementsOf(master, 'additional')).toEqual([]);
  });

  // As kops: see the irsa and apiservernodes reference cases.
  it('gives nodes no inline policy of their own in a strict minimal cluster', async () => {
    const { plan } = await loadOne(clusterYaml('minimal.example.com'));
    expect(instanceRole(plan, 'node').policies).toEqual([]);
  });

  it('gives every legacy role its policy; an API server role is always composed strictly', async () => {
    const text = [
      legacyClusterYaml('l.example.com'),
      instanceGroupYaml('m', 'Master'),
      instanceGroupYaml('a', 'APIServer'),
      instanceGroupYaml('b', 'Bastion'),
    ].join('\n---\n');
    const { plan } = await loadOne(text);
    expect(statementsOf(instanceRole(plan, 'master')).map((s) => s.Sid)).toContain('MasterEC2');
    expect(statementsOf(instanceRole(plan, 'bastion')).map((s) => s.Sid)).toEqual(['BastionDescribeRegions']);
    const apiserver = statementsOf(instanceRole(plan, 'apiserver'));
    expect(apiserver.some((s) => s.Sid !== undefined)).toBe(false);
    expect(apiserver).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    });
  });

  it('lists roles in kops order (master, apiserver, node, bastion), then service accounts', async () => {
    const text = [
      clusterYaml('o.example.com', IRSA),
      instanceGroupYaml('b', 'Bastion'),
      instanceGroupYaml('nodes', 'Node'),
      instanceGroupYaml('a', 'APIServer'),
      instanceGroupYaml('m', 'Master'),
    ].join('\n---\n');
    const { plan } = await loadOne(text);
    expect(plan.roles.map((r) => (r.type === 'managed' ? r.roleName : ''))).toEqual([
      'masters.o.example.com',
      'apiservers.o.example.com',
      'nodes.o.example.com',
      'bastions.o.example.com',
      'myserviceaccount.default.sa.o.example.com',
      'myserviceaccount.test-wildcard.sa.o.example.com',
      'myotherserviceaccount.myapp.sa.o.example.com',
    ]);
    expect(instanceRole(plan, 'bastion').policies).toEqual([]);
  });

  it('attaches externalPolicies and sets the permissions boundary on every role it manages (complex reference case)', async () => {
    const extra = [
      '  iam:',
      '    permissionsBoundary: arn:aws:iam::123456789012:policy/boundaries',
      '  externalPolicies:',
      `    master: [${POLICY('b')}, ${POLICY('a')}]`,
    ].join('\n');
    const { plan } = await loadOne(clusterYaml('c.example.com', extra));
    expect(instanceRole(plan, 'master').attachments).toEqual([
      { arn: POLICY('a'), source: 'externalPolicies' },
      { arn: POLICY('b'), source: 'externalPolicies' },
    ]);
    expect(plan.roles.map((r) => (r.type === 'managed' ? r.permissionsBoundary : 'existing'))).toEqual([
      'arn:aws:iam::123456789012:policy/boundaries',
      'arn:aws:iam::123456789012:policy/boundaries',
    ]);
  });

  it("cuts long names by kops' rule, keeping the full cluster name in the tags (minimal-longclustername reference case)", async () => {
    const name = 'this.is.truly.a.really.really.really.really.really.long.cluster-name.minimal.example.com';
    const { plan } = await loadOne(clusterYaml(name));
    const master = instanceRole(plan, 'master');
    expect([master.roleName, master.instanceProfile?.name, master.policies[0]?.name]).toEqual([
      'masters.this.is.truly.a.really.really.really.really.reall-g6fsnu',
      'masters.this.is.truly.a.really.really.really.really.reall-g6fsnu',
      'masters.this.is.truly.a.really.really.really.really.reall-g6fsnu',
    ]);
    expect(instanceRole(plan, 'node').roleName).toBe('nodes.this.is.truly.a.really.really.really.really.really.-d86ibl');
    expect(master.tags).toEqual([
      ['KubernetesCluster', name],
      ['Name', 'masters.this.is.truly.a.really.really.really.really.reall-g6fsnu'],
      [`kubernetes.io/cluster/${name}`, 'owned'],
    ]);
  });

  it("plans an existing role of customPolicies with its groups' existing instance profiles, and no role kops-iam manages", async () => {
    const text = [
      legacyClusterYaml('x.example.com', '  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node'),
      instanceGroupYaml('m', 'Master'),
      instanceGroupYaml('nodes-a', 'Node'),
      instanceGroupYaml('nodes-b', 'Node', undefined, '  iam:', '    profile: arn:aws:iam::123456789012:instance-profile/team-nodes'),
    ].join('\n---\n');
    const { plan } = await loadOne(text, '+CustomPoliciesSupport');
    expect(
      plan.roles.map((r) => [r.type, r.subject.kind === 'instance' ? r.subject.role : '', r.type === 'existing' ? r.existing.kind : '']),
    ).toEqual([
      ['managed', 'master', ''],
      ['existing', 'node', 'role'],
      ['existing', 'node', 'instance-profile'],
    ]);
  });

  it("keeps a role managed when its groups name the profile kops-iam writes for it (after a migration)", async () => {
    const own = 'arn:aws:iam::123456789012:instance-profile/nodes.m.example.com';
    const text = [
      clusterYaml('m.example.com'),
      instanceGroupYaml('m', 'ControlPlane'),
      instanceGroupYaml('nodes', 'Node', undefined, '  iam:', `    profile: ${own}`),
    ].join('\n---\n');
    const { plan } = await loadOne(text);
    const nodes = plan.roles.filter((r) => r.subject.kind === 'instance' && r.subject.role === 'node');
    expect(nodes.map((r) => [r.type, r.type === 'managed' ? r.instanceProfile?.name : ''])).toEqual([['managed', 'nodes.m.example.com']]);
  });

  it('is pure: the same spec, groups and roles give the same plan', async () => {
    const { spec, groups, plan } = await loadOne(clusterYaml('p.example.com', `${ADDITIONAL}\n${IRSA}`));
    expect(planCluster(spec, groups, rolesInUse(spec, groups, new Report()))).toEqual(plan);
  });
});

describe('planCluster: service accounts and the OIDC provider (irsa reference case)', () => {
  it("creates the OIDC provider of the issuer with kops' client ids, thumbprints and the cluster's tags", async () => {
    const { plan } = await loadOne(clusterYaml('minimal.example.com', IRSA));
    expect(OIDC_THUMBPRINTS).toEqual(['9e99a48a9960b14926bb7f3b02e22da2b0ab7280', 'a9d53002e97e00e043244f3d170d6f4c414104fd']);
    expect(plan.oidcProvider).toEqual({
      url: 'https://discovery.example.com/minimal.example.com',
      clientIds: ['amazonaws.com', 'sts.amazonaws.com'],
      thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280', 'a9d53002e97e00e043244f3d170d6f4c414104fd'],
      tags: [
        ['KubernetesCluster', 'minimal.example.com'],
        ['Name', 'minimal.example.com'],
        ['kubernetes.io/cluster/minimal.example.com', 'owned'],
      ],
    });
    expect(plan.issuer).toBe('discovery.example.com/minimal.example.com');
  });

  it('gives each listed service account a role, with its attachments or inline policy, trusted through the provider', async () => {
    const { plan } = await loadOne(clusterYaml('minimal.example.com', IRSA));
    expect(serviceAccountsOf(plan)).toEqual(['default/myserviceaccount', 'test-*/myserviceaccount', 'myapp/myotherserviceaccount']);
    const wildcard = serviceAccountRole(plan, 'test-*', 'myserviceaccount');
    expect(wildcard).toMatchObject({
      roleName: 'myserviceaccount.test-wildcard.sa.minimal.example.com',
      policies: [],
      attachments: [{ arn: POLICY('UsersManageOwnCredentials'), source: 'serviceAccountExternalPermissions' }],
    });
    expect(wildcard.instanceProfile).toBeUndefined();
    expect(policyJson(wildcard.trust).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: '<oidc-provider-arn>' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'discovery.example.com/minimal.example.com:sub': 'system:serviceaccount:test-*:myserviceaccount' } },
      },
    ]);
    expect(wildcard.tags).toEqual([
      ['KubernetesCluster', 'minimal.example.com'],
      ['Name', 'myserviceaccount.test-wildcard.sa.minimal.example.com'],
      ['kubernetes.io/cluster/minimal.example.com', 'owned'],
      ['service-account.kops.k8s.io/name', 'myserviceaccount'],
      ['service-account.kops.k8s.io/namespace', 'test-wildcard'],
    ]);
    expect(policyJson(serviceAccountRole(plan, 'default', 'myserviceaccount').trust).Statement[0]?.Condition).toEqual({
      StringEquals: { 'discovery.example.com/minimal.example.com:sub': 'system:serviceaccount:default:myserviceaccount' },
    });
    const inline = serviceAccountRole(plan, 'myapp', 'myotherserviceaccount');
    expect(inline.attachments).toEqual([]);
    expect(inline.policies.map((p) => [p.kind, p.name])).toEqual([['role', 'myotherserviceaccount.myapp.sa.minimal.example.com']]);
    expect(statementsOf(inline)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:*'], Resource: ['*'] },
      { Effect: 'Allow', Action: ['es:*'], Resource: ['*'] },
    ]);
  });

  it("trusts the account's provider of the issuer when the plan creates none", async () => {
    const irsa = IRSA.replace('    enableAWSOIDCProvider: true\n', '');
    const { plan } = await loadOne(clusterYaml('minimal.example.com', irsa));
    expect(plan.oidcProvider).toBeUndefined();
    expect(plan.issuer).toBeUndefined();
    expect(policyJson(serviceAccountRole(plan, 'default', 'myserviceaccount').trust).Statement[0]?.Principal).toEqual({
      Federated: 'arn:aws:iam::<account-id>:oidc-provider/discovery.example.com/minimal.example.com',
    });
  });

  // The vfs-said reference case.
  it('gives no service-account role without IRSA or listed service accounts, but the provider when asked', async () => {
    const { plan } = await loadOne(
      clusterYaml(
        'v.example.com',
        '  serviceAccountIssuerDiscovery:\n    enableAWSOIDCProvider: true\n    discoveryStore: memfs://d.example.com/v',
      ),
    );
    expect(serviceAccountsOf(plan)).toEqual([]);
    expect(plan.oidcProvider?.clientIds).toEqual(['amazonaws.com']);
  });

  it("gives kops' addon service accounts roles with IRSA (the set of the aws-lb-controller reference case)", async () => {
    const extra = [
      '  iam:',
      '    useServiceAccountExternalPermissions: true',
      '  awsLoadBalancerController:',
      '    enabled: true',
      '  certManager:',
      '    enabled: true',
      '  dnsZone: Z1AFAKE1ZON3YO',
      '  serviceAccountIssuerDiscovery:',
      '    enableAWSOIDCProvider: true',
      '    discoveryStore: memfs://discovery.example.com/minimal.example.com',
    ].join('\n');
    const { plan } = await loadOne(clusterYaml('minimal.example.com', extra));
    expect(serviceAccountsOf(plan)).toEqual([
      'kube-system/dns-controller',
      'kube-system/aws-node-termination-handler',
      'kube-system/aws-load-balancer-controller',
      'kube-system/aws-cloud-controller-manager',
      'kube-system/ebs-csi-controller-sa',
    ]);
    expect(plan.roles.flatMap((r) => (r.subject.kind === 'service-account' ? [r.subject.addon] : []))).toEqual([
      'dns-controller',
      'node-termination-handler',
      'aws-load-balancer-controller',
      'aws-cloud-controller-manager',
      'aws-ebs-csi-driver',
    ]);
    expect(serviceAccountRole(plan, 'kube-system', 'dns-controller').roleName).toBe('dns-controller.kube-system.sa.minimal.example.com');
    // The nodes have no policy, and the control plane keeps only its own processes' permissions.
    expect(instanceRole(plan, 'node').policies).toEqual([]);
  });

  it('gives service-account roles the permissions boundary too', async () => {
    const { plan } = await loadOne(
      clusterYaml('b.example.com', IRSA.replace('  iam:\n', `  iam:\n    permissionsBoundary: ${POLICY('boundary')}\n`)),
    );
    expect(serviceAccountRole(plan, 'default', 'myserviceaccount').permissionsBoundary).toBe(POLICY('boundary'));
  });
});
