import { allowStatement, condition, type Grants } from '../grants';

/** What Karpenter's role needs to know of the cluster. */
export interface KarpenterOptions {
  readonly partition: string;
  readonly cluster: string;
  /** The node role's name (kops' truncated `nodes.<cluster>`): the only role Karpenter may pass. */
  readonly nodeRoleName: string;
  /** The EC2 service principal of the region, the only service Karpenter may pass the role to. */
  readonly ec2Service: string;
  /** Karpenter-managed groups use existing instance profiles, whose roles kops cannot name. */
  readonly customInstanceProfiles: boolean;
  /** Karpenter-managed groups encrypt root volumes with a customer managed key. */
  readonly customerManagedKeys: boolean;
}

/** Karpenter's regional, SSM, pricing and instance-profile reads (its reference policy's Allow*ReadActions). */
const KARPENTER_READ_ACTIONS = [
  'ec2:DescribeCapacityReservations',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceStatus',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribePlacementGroups',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
  'iam:GetInstanceProfile',
  'iam:ListInstanceProfiles',
  'pricing:GetProducts',
  'ssm:GetParameter',
];

/**
 * Karpenter launches and retires the cluster's nodes (AddKarpenterPermissions): scoped
 * like Karpenter's reference policy, with kops' KubernetesCluster tag as the ownership
 * tag and no instance-profile management (kops supplies the profile).
 */
export function karpenter(o: KarpenterOptions): Grants {
  const ec2 = (type: string, account = '*') => `arn:${o.partition}:ec2:*:${account}:${type}/*`;
  const instance = ec2('instance');
  const launchTemplate = ec2('launch-template');
  const taggable = {
    values: [ec2('fleet'), instance, launchTemplate, ec2('network-interface'), ec2('spot-instances-request'), ec2('volume')],
    list: true,
  };
  const launch = ['ec2:CreateFleet', 'ec2:RunInstances'];
  const owned = [
    condition('StringEquals', { 'aws:ResourceTag/KubernetesCluster': o.cluster }),
    condition('StringLike', { 'aws:ResourceTag/karpenter.sh/nodepool': '*' }),
  ];
  const requestTags = condition('StringLike', { 'aws:RequestTag/karpenter.sh/nodepool': '*' });
  const passRole = `arn:${o.partition}:iam::*:role/${o.customInstanceProfiles ? '*' : o.nodeRoleName}`;
  return {
    ...(o.customerManagedKeys ? { kms: 'via-service' as const } : {}),
    unconditional: KARPENTER_READ_ACTIONS,
    statements: [
      // Launching also names resources the request does not tag: images, snapshots, subnets, security groups.
      allowStatement(
        { values: launch },
        { values: [ec2('capacity-reservation'), ec2('image', ''), ec2('snapshot', ''), ec2('security-group'), ec2('subnet')], list: true },
      ),
      allowStatement({ values: launch }, { values: [launchTemplate], list: true }, ...owned),
      allowStatement(
        { values: ['ec2:CreateFleet', 'ec2:CreateLaunchTemplate', 'ec2:RunInstances'] },
        taggable,
        condition('StringEquals', { 'aws:RequestTag/KubernetesCluster': o.cluster }),
        requestTags,
      ),
      allowStatement(
        { values: ['ec2:CreateTags'] },
        taggable,
        condition('StringEquals', {
          'aws:RequestTag/KubernetesCluster': o.cluster,
          'ec2:CreateAction': ['CreateFleet', 'CreateLaunchTemplate', 'RunInstances'],
        }),
        requestTags,
      ),
      allowStatement(
        { values: ['ec2:CreateTags', 'ec2:DeleteTags'] },
        taggable,
        condition('Null', { 'aws:RequestTag/KubernetesCluster': 'true' }),
        ...owned,
      ),
      allowStatement(
        { values: ['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances'] },
        { values: [instance, launchTemplate], list: true },
        ...owned,
      ),
      allowStatement(
        { values: ['iam:PassRole'] },
        { values: [passRole] },
        condition('StringEquals', { 'iam:PassedToService': o.ec2Service }),
      ),
    ],
  };
}
