import { describe, expect, it } from 'vitest';
import { addonServiceAccounts } from '../../src/strict/service-accounts';
import { zoneIdText } from '../../src/legacy/legacy-policies';
import { clusterYaml, instanceGroupYaml, loadOne, roleActions, serviceAccountRole, serviceAccountsOf, statementsOf } from '../helpers';

// The kops-managed service accounts that get roles, and their gates: /work/notes/kops-addons.md §0 and §2
// (bootstrapchannelbuilder.go in kops). All but cert-manager's need spec.iam.useServiceAccountExternalPermissions.

const IRSA = '  iam:\n    useServiceAccountExternalPermissions: true';

async function planOf(extra: string, ...groups: string[]) {
  return loadOne([clusterYaml('c.example.com', `${IRSA}\n${extra}`), ...groups].join('\n---\n'));
}

/** The kops addon service accounts of a cluster, `namespace/name`. */
async function accounts(extra: string, ...groups: string[]): Promise<string[]> {
  return serviceAccountsOf((await planOf(extra, ...groups)).plan);
}

describe('addonServiceAccounts: gates', () => {
  it('gives a minimal IRSA cluster dns-controller, node-termination-handler, the cloud controller and the EBS CSI driver', async () => {
    expect(await accounts('  dnsZone: Z1')).toEqual([
      'kube-system/dns-controller',
      'kube-system/aws-node-termination-handler',
      'kube-system/aws-cloud-controller-manager',
      'kube-system/ebs-csi-controller-sa',
    ]);
  });

  it('gives none without IRSA', async () => {
    const { spec, groups } = await loadOne(clusterYaml('c.example.com', '  dnsZone: Z1'));
    expect(addonServiceAccounts({ spec, groups, zoneId: zoneIdText(spec.hostedZone) })).toEqual([]);
  });

  it('follows the DNS provider: external-dns instead of dns-controller, none for provider none or DNS type None (§2.1, §2.2)', async () => {
    expect(await accounts('  externalDns: {provider: external-dns}')).toContain('kube-system/external-dns');
    expect(await accounts('  externalDns: {provider: external-dns}')).not.toContain('kube-system/dns-controller');
    expect((await accounts('  externalDns: {disable: true}')).filter((a) => /dns/.test(a))).toEqual([]);
    expect((await accounts('  topology:\n    dns:\n      type: None')).filter((a) => /dns/.test(a))).toEqual([]);
  });

  it('gives node-termination-handler a role whenever it runs, queue mode or not (§2.7)', async () => {
    expect(await accounts('  nodeTerminationHandler: {enableSQSTerminationDraining: false}')).toContain(
      'kube-system/aws-node-termination-handler',
    );
    expect(await accounts('  nodeTerminationHandler: {enabled: false}')).not.toContain('kube-system/aws-node-termination-handler');
  });

  it('adds cluster-autoscaler, the load-balancer controller and kube-router when enabled', async () => {
    const all = await accounts(
      '  clusterAutoscaler: {enabled: true}\n  awsLoadBalancerController: {enabled: true}\n  networking: {kuberouter: {}}',
    );
    expect(all).toEqual(
      expect.arrayContaining(['kube-system/cluster-autoscaler', 'kube-system/aws-load-balancer-controller', 'kube-system/kube-router']),
    );
  });

  it('leaves the EBS CSI driver out when it is not managed by kops', async () => {
    expect(await accounts('  cloudConfig: {awsEBSCSIDriver: {managed: false}}')).not.toContain('kube-system/ebs-csi-controller-sa');
  });

  it("gives Karpenter a role and no node-termination-handler (karpenter reference case's set)", async () => {
    expect(await accounts('  dnsZone: Z1\n  karpenter: {enabled: true}')).toEqual([
      'kube-system/dns-controller',
      'kube-system/aws-cloud-controller-manager',
      'kube-system/ebs-csi-controller-sa',
      'kube-system/karpenter',
    ]);
  });

  it('gives cert-manager a role for its DNS-01 zones, when it is enabled and managed (§2.10)', async () => {
    expect(await accounts('  certManager: {enabled: true, hostedZoneIDs: [Z1, Z2]}')).toContain('kube-system/cert-manager');
    expect(await accounts('  certManager: {enabled: true, managed: false, hostedZoneIDs: [Z1]}')).not.toContain('kube-system/cert-manager');
    expect(await accounts('  certManager: {enabled: true}')).not.toContain('kube-system/cert-manager');
  });
});

describe('addonServiceAccounts: policies', () => {
  it("gives dns-controller kops' three Route53 statements on the cluster's zone", async () => {
    const { plan } = await planOf('  dnsZone: Z1AFAKE1ZON3YO');
    expect(statementsOf(serviceAccountRole(plan, 'kube-system', 'dns-controller'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone'],
        Resource: ['arn:aws:route53:::hostedzone/Z1AFAKE1ZON3YO'],
      },
      { Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
      { Effect: 'Allow', Action: ['route53:ListHostedZones', 'route53:ListTagsForResource'], Resource: ['*'] },
    ]);
  });

  it('adds the snapshot permissions to the EBS CSI driver with the snapshot controller (many-addons-ccm-irsa reference case)', async () => {
    const without = roleActions(serviceAccountRole((await planOf('')).plan, 'kube-system', 'ebs-csi-controller-sa'));
    expect(without).not.toContain('ec2:CreateSnapshot');
    const { plan } = await planOf('  snapshotController: {enabled: true}');
    const actions = roleActions(serviceAccountRole(plan, 'kube-system', 'ebs-csi-controller-sa'));
    expect(actions).toEqual(
      expect.arrayContaining(['ec2:CreateSnapshot', 'ec2:DeleteSnapshot', 'ec2:EnableFastSnapshotRestores', 'kms:CreateGrant']),
    );
  });

  it('describes instance types for cluster-autoscaler unless it uses a static instance list', async () => {
    const dynamic = roleActions(
      serviceAccountRole((await planOf('  clusterAutoscaler: {enabled: true}')).plan, 'kube-system', 'cluster-autoscaler'),
    );
    expect(dynamic).toContain('ec2:DescribeInstanceTypes');
    const fixed = await planOf('  clusterAutoscaler: {enabled: true, awsUseStaticInstanceList: true}');
    expect(roleActions(serviceAccountRole(fixed.plan, 'kube-system', 'cluster-autoscaler'))).not.toContain('ec2:DescribeInstanceTypes');
  });

  it('gives node-termination-handler the SQS permissions', async () => {
    expect(roleActions(serviceAccountRole((await planOf('')).plan, 'kube-system', 'aws-node-termination-handler'))).toEqual([
      'autoscaling:CompleteLifecycleAction',
      'autoscaling:DescribeAutoScalingInstances',
      'autoscaling:DescribeTags',
      'ec2:DescribeInstances',
      'sqs:DeleteMessage',
      'sqs:ReceiveMessage',
    ]);
  });

  it('adds WAF, WAFv2 and Shield to the load-balancer controller when asked', async () => {
    const { plan } = await planOf('  awsLoadBalancerController: {enabled: true, enableWAF: true, enableShield: true}');
    const actions = roleActions(serviceAccountRole(plan, 'kube-system', 'aws-load-balancer-controller'));
    expect(actions).toEqual(
      expect.arrayContaining(['waf-regional:AssociateWebACL', 'shield:CreateProtection', 'elasticloadbalancing:SetWebACL']),
    );
    expect(actions.some((a) => a.startsWith('wafv2:'))).toBe(false);
  });

  // The karpenter reference case.
  it("lets Karpenter pass only the nodes' role to EC2, and use KMS for customer managed root volume keys", async () => {
    const managed = instanceGroupYaml(
      'karpenter-nodes',
      'Node',
      undefined,
      '  manager: Karpenter',
      '  rootVolumeEncryption: true',
      '  rootVolumeEncryptionKey: arn:aws:kms:eu-central-1:123456789012:key/k',
    );
    const { plan } = await planOf('  karpenter: {enabled: true}', instanceGroupYaml('m', 'Master'), managed);
    const statements = statementsOf(serviceAccountRole(plan, 'kube-system', 'karpenter'));
    expect(statements.find((s) => s.Action === 'iam:PassRole')).toEqual({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::*:role/nodes.c.example.com',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
    expect(statements.some((s) => s.Action === 'kms:CreateGrant')).toBe(true);
  });

  it('lets Karpenter pass any role when its groups use existing instance profiles, and has no KMS without a key', async () => {
    const managed = instanceGroupYaml(
      'k',
      'Node',
      undefined,
      '  manager: Karpenter',
      '  iam:',
      '    profile: arn:aws:iam::123456789012:instance-profile/p',
    );
    const { plan } = await planOf('  karpenter: {enabled: true}', instanceGroupYaml('m', 'Master'), managed);
    const statements = statementsOf(serviceAccountRole(plan, 'kube-system', 'karpenter'));
    expect(statements.find((s) => s.Action === 'iam:PassRole')?.Resource).toBe('arn:aws:iam::*:role/*');
    expect(statements.some((s) => s.Action === 'kms:CreateGrant')).toBe(false);
  });

  it('gives cert-manager only TXT records named _acme-challenge.* in the zones it is given', async () => {
    const { plan } = await planOf('  certManager: {enabled: true, hostedZoneIDs: [Z1, Z2]}');
    expect(statementsOf(serviceAccountRole(plan, 'kube-system', 'cert-manager'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['route53:ListResourceRecordSets'],
        Resource: ['arn:aws:route53:::hostedzone/Z1', 'arn:aws:route53:::hostedzone/Z2'],
      },
      {
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets'],
        Resource: ['arn:aws:route53:::hostedzone/Z1', 'arn:aws:route53:::hostedzone/Z2'],
        Condition: {
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
        },
      },
      { Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
      { Effect: 'Allow', Action: ['route53:ListHostedZonesByName'], Resource: ['*'] },
    ]);
  });

  it('gives kube-router the cluster-tagged ModifyInstanceAttribute only', async () => {
    expect(statementsOf(serviceAccountRole((await planOf('  networking: {kuberouter: {}}')).plan, 'kube-system', 'kube-router'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['ec2:ModifyInstanceAttribute'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/KubernetesCluster': 'c.example.com' } },
      },
    ]);
  });
});
