import { describe, expect, it } from 'vitest';
import { instanceRoleContributions } from '../../src/strict/instance-roles';
import { zoneIdText } from '../../src/legacy/legacy-policies';
import type { InstanceRoleKind } from '../../src/cluster/roles';
import { clusterYaml, instanceGroupYaml, instanceRole, loadOne, roleActions, statementsOf } from '../helpers';

// Which of kops' contributors apply to which instance role (BuildAWSPolicy per role in pkg/model/iam/iam_builder.go;
// /work/notes/kops-addons.md §3 and §6). Expected nodes policies are those of kops' reference cases where named.

const IRSA = '  iam:\n    useServiceAccountExternalPermissions: true';

/** A strict cluster with one group per role, and the features of `extra`. */
async function planOf(extra = '', ...groups: string[]) {
  const igs = groups.length > 0 ? groups : [instanceGroupYaml('m', 'Master'), instanceGroupYaml('nodes', 'Node')];
  return loadOne([clusterYaml('c.example.com', extra), ...igs].join('\n---\n'));
}

/** The contributors (rules) of a role. */
async function rules(role: InstanceRoleKind, extra = '', ...groups: string[]): Promise<string[]> {
  const { spec, groups: read } = await planOf(extra, ...groups);
  return instanceRoleContributions(role, { spec, groups: read, zoneId: zoneIdText(spec.hostedZone) }).map((c) => c.rule);
}

describe('the control plane', () => {
  it("runs kops' own processes and, without IRSA, every addon controller", async () => {
    expect(await rules('master', '  dnsZone: Z1\n  configBase: s3://state/c')).toEqual([
      'etcd-manager',
      'kops-controller',
      'nodeup',
      's3',
      'kms',
      'dns-controller',
      'ebs-csi-driver',
      'cloud-controller-manager',
      'cluster-autoscaler',
      'node-termination-handler',
    ]);
  });

  it('keeps only its own processes with IRSA: the addons move to service-account roles (§1)', async () => {
    expect(await rules('master', `  dnsZone: Z1\n${IRSA}`)).toEqual(['etcd-manager', 'kops-controller', 'nodeup', 'kms']);
  });

  it('grants DNS with a zone whatever the external-dns provider, none for DNS type None or gossip (§3.8)', async () => {
    expect(await rules('master', '  dnsZone: Z1\n  externalDns:\n    provider: none')).toContain('dns-controller');
    expect(await rules('master', '  topology:\n    dns:\n      type: None')).not.toContain('dns-controller');
    const { plan } = await loadOne(clusterYaml('g.k8s.local'));
    expect(roleActions(instanceRole(plan, 'master')).filter((a) => a.startsWith('route53:'))).toEqual([]);
  });

  it('gets SQS only in queue mode, and no node-termination-handler with Karpenter (nth-imds-processor reference case)', async () => {
    expect(await rules('master', '  nodeTerminationHandler:\n    enableSQSTerminationDraining: false')).not.toContain(
      'node-termination-handler',
    );
    const { plan } = await planOf('  nodeTerminationHandler:\n    enabled: true\n    enableSQSTerminationDraining: false');
    expect(roleActions(instanceRole(plan, 'master')).filter((a) => a.startsWith('sqs:'))).toEqual([]);
    expect(await rules('master', `  karpenter:\n    enabled: true\n${IRSA}`)).not.toContain('node-termination-handler');
  });

  it('gets every addon of many-addons without IRSA, and no ECR without allowContainerRegistry (many-addons reference case)', async () => {
    const extra = [
      '  dnsZone: Z1AFAKE1ZON3YO',
      '  clusterAutoscaler: {enabled: true}',
      '  awsLoadBalancerController: {enabled: true}',
      '  certManager: {enabled: true}',
      '  snapshotController: {enabled: true}',
      '  networking: {amazonvpc: {}}',
      '  nodeTerminationHandler: {enabled: true}',
    ].join('\n');
    const { plan } = await planOf(extra);
    const master = roleActions(instanceRole(plan, 'master'));
    for (const a of [
      'route53:ChangeResourceRecordSets',
      'autoscaling:SetDesiredCapacity',
      'sqs:ReceiveMessage',
      'cognito-idp:DescribeUserPoolClient',
      'ec2:EnableFastSnapshotRestores',
      'ec2:AssignPrivateIpAddresses',
      'ec2:DescribeInstanceTypes',
    ]) {
      expect(master, a).toContain(a);
    }
    expect(master.some((a) => a.startsWith('ecr:'))).toBe(false);
    expect(roleActions(instanceRole(plan, 'node'))).toEqual([
      'ec2:AssignPrivateIpAddresses',
      'ec2:AttachNetworkInterface',
      'ec2:CreateNetworkInterface',
      'ec2:CreateTags',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeTags',
      'ec2:DetachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:UnassignPrivateIpAddresses',
    ]);
    expect(statementsOf(instanceRole(plan, 'node'))).toContainEqual({
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: ['arn:aws:ec2:*:*:network-interface/*'],
    });
  });

  it('lets etcd-manager write backups, and the routes and NLB security groups of the cloud controller when asked', async () => {
    const etcd = '  etcdClusters:\n  - name: main\n    etcdMembers: [{name: a}]';
    const { plan } = await planOf(
      `  configBase: s3://state/c\n${etcd}\n  networking: {kubenet: {}}\n  cloudConfig: {nlbSecurityGroupMode: Managed}`,
    );
    const master = roleActions(instanceRole(plan, 'master'));
    expect(master).toEqual(
      expect.arrayContaining(['s3:PutObject', 'ec2:CreateRoute', 'ec2:DeleteRoute', 'elasticloadbalancing:SetSecurityGroups']),
    );
    expect(statementsOf(instanceRole(plan, 'master')).map((s) => s.Resource)).toContainEqual('arn:aws:s3:::state/c/backups/etcd/main/*');
  });

  it('calls KMS directly for encryptionConfig (a kms-plugin in kube-apiserver), through EC2 and S3 otherwise', async () => {
    // With IRSA, so that the EBS CSI driver (which uses KMS through EC2) is not on the control plane.
    const direct = statementsOf(instanceRole((await planOf(`  encryptionConfig: true\n${IRSA}`)).plan, 'master'));
    expect(direct.some((s) => s.Condition?.StringLike !== undefined)).toBe(false);
    expect(direct.find((s) => s.Condition === undefined && s.Resource === '*')?.Action).toEqual(
      expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']),
    );
    const via = statementsOf(instanceRole((await planOf()).plan, 'master'));
    expect(via.find((s) => s.Condition?.StringLike !== undefined)?.Condition).toEqual({
      StringLike: { 'kms:ViaService': ['ec2.eu-central-1.amazonaws.com', 's3.*.amazonaws.com'] },
    });
  });
});

describe('nodes', () => {
  it('have no policy of their own in a minimal cluster', async () => {
    expect(await rules('node')).toEqual(['nodeup']);
    expect(instanceRole((await planOf()).plan, 'node').policies).toEqual([]);
  });

  it('may complete lifecycle actions with a warm pool hook; the control plane never (minimal-warmpool reference case)', async () => {
    const { plan } = await planOf('  warmPool:\n    enableLifecycleHook: true\n    maxSize: 1');
    expect(roleActions(instanceRole(plan, 'node'))).toEqual(['autoscaling:CompleteLifecycleAction', 'autoscaling:DescribeLifecycleHooks']);
    expect(roleActions(instanceRole(plan, 'master'))).not.toContain('autoscaling:DescribeLifecycleHooks');
  });

  it("take a group's own warm pool into account", async () => {
    const { plan } = await planOf(
      '',
      instanceGroupYaml('m', 'Master'),
      instanceGroupYaml('nodes', 'Node', undefined, '  warmPool: {enableLifecycleHook: true}'),
    );
    expect(roleActions(instanceRole(plan, 'node'))).toEqual(['autoscaling:CompleteLifecycleAction', 'autoscaling:DescribeLifecycleHooks']);
  });

  it('describe instance types for GPUs, of the cluster or of a group (nvidia reference case)', async () => {
    expect(roleActions(instanceRole((await planOf('  containerd:\n    nvidiaGPU:\n      enabled: true')).plan, 'node'))).toEqual([
      'ec2:DescribeInstanceTypes',
    ]);
    const group = instanceGroupYaml('nodes', 'Node', undefined, '  containerd: {nvidiaGPU: {enabled: true}}');
    expect(roleActions(instanceRole((await planOf('', instanceGroupYaml('m', 'Master'), group)).plan, 'node'))).toEqual([
      'ec2:DescribeInstanceTypes',
    ]);
  });

  // The minimal-ipv6 reference case.
  it('assign IPv6 addresses in an IPv6-only cluster; the control plane also runs kops-controller IPAM', async () => {
    const { plan } = await planOf('  nonMasqueradeCIDR: ::/0');
    expect(roleActions(instanceRole(plan, 'node'))).toEqual(['ec2:AssignIpv6Addresses']);
    expect(roleActions(instanceRole(plan, 'master'))).toEqual(
      expect.arrayContaining(['ec2:AssignIpv6Addresses', 'ec2:DescribeNetworkInterfaces']),
    );
  });

  it('turn the source/destination check off for kindnet, with the control plane (minimal-ipv6-kindnet reference case)', async () => {
    const { plan } = await planOf('  nonMasqueradeCIDR: ::/0\n  networking: {kindnet: {}}');
    expect(roleActions(instanceRole(plan, 'node'))).toEqual(['ec2:AssignIpv6Addresses', 'ec2:ModifyInstanceAttribute']);
    expect(statementsOf(instanceRole(plan, 'node'))[1]).toEqual({
      Effect: 'Allow',
      Action: ['ec2:ModifyInstanceAttribute'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/KubernetesCluster': 'c.example.com' } },
    });
  });

  it('turn it off for kube-router on nodes only (§2.9)', async () => {
    expect(await rules('node', '  networking: {kuberouter: {}}')).toEqual(['nodeup', 'kube-router']);
    expect(await rules('master', '  networking: {kuberouter: {}}')).not.toContain('kube-router');
  });

  it('get Calico and ECR permissions as the control plane does (privatecalico reference case)', async () => {
    const { plan } = await planOf('  networking: {calico: {}}\n  iam:\n    allowContainerRegistry: true');
    const expected = [
      'ec2:DescribeInstances',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:DescribeRepositories',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
      'ecr:GetRepositoryPolicy',
      'ecr:ListImages',
    ];
    expect(roleActions(instanceRole(plan, 'node'))).toEqual(expected);
    expect(roleActions(instanceRole(plan, 'master'))).toEqual(expect.arrayContaining(expected));
  });

  it('leave Cilium ENI to the control plane (privatecilium-eni reference case)', async () => {
    expect(await rules('node', '  networking: {cilium: {ipam: eni}}')).toEqual(['nodeup']);
    expect(roleActions(instanceRole((await planOf('  networking: {cilium: {ipam: eni}}')).plan, 'node'))).toEqual([
      'ec2:DescribeInstanceTypes',
    ]);
    expect(await rules('master', '  networking: {cilium: {ipam: eni}}')).toContain('cilium-eni');
  });

  it('may pull through ECR for containerd mirrors', async () => {
    expect(roleActions(instanceRole((await planOf('  containerd: {useECRCredentialsForMirrors: true}')).plan, 'node'))).toEqual([
      'ecr:BatchImportUpstreamImage',
      'ecr:CreateRepository',
      'ecr:ReplicateImage',
      'ecr:TagResource',
    ]);
  });
});

describe('API servers and bastions', () => {
  it('give API servers the state store (read only) and KMS, nothing of the control plane (apiservernodes reference case)', async () => {
    const groups = [instanceGroupYaml('m', 'Master'), instanceGroupYaml('a', 'APIServer'), instanceGroupYaml('nodes', 'Node')];
    expect(await rules('apiserver', '  configBase: s3://state/c\n  dnsZone: Z1', ...groups)).toEqual(['nodeup', 's3', 'kms']);
    const { plan } = await planOf('  configBase: s3://state/c', ...groups);
    const actions = roleActions(instanceRole(plan, 'apiserver'));
    expect(actions).toContain('s3:Get*');
    expect(actions).not.toContain('s3:PutObject');
  });

  it('give bastions nothing', async () => {
    const groups = [instanceGroupYaml('m', 'Master'), instanceGroupYaml('b', 'Bastion')];
    expect(await rules('bastion', '  iam:\n    allowContainerRegistry: true', ...groups)).toEqual([]);
  });
});
