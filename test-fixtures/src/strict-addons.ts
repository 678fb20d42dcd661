import { add, addKms, ec2Create, type Expectation } from './strict-grants';

/** kops' addon permissions (iam_builder.go): on the control plane, or on each addon's service-account role. */

export function nodeTerminationHandler(e: Expectation): void {
  add(e, 'any', ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeTags', 'ec2:DescribeInstances']);
  add(e, 'any', ['sqs:DeleteMessage', 'sqs:ReceiveMessage']);
  add(e, 'tagged', ['autoscaling:CompleteLifecycleAction']);
}

export function clusterAutoscaler(e: Expectation, staticInstanceList: boolean): void {
  add(e, 'tagged', ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
  add(e, 'any', [
    'autoscaling:DescribeAutoScalingGroups',
    'autoscaling:DescribeAutoScalingInstances',
    'autoscaling:DescribeLaunchConfigurations',
    'autoscaling:DescribeScalingActivities',
    'ec2:DescribeImages',
    'ec2:DescribeLaunchTemplateVersions',
    'ec2:GetInstanceTypesFromInstanceRequirements',
    ...(staticInstanceList ? [] : ['ec2:DescribeInstanceTypes']),
  ]);
}

export function ebsCsi(e: Expectation, snapshots: boolean): void {
  addKms(e, false);
  if (snapshots) {
    add(e, 'any', ['ec2:CreateSnapshot', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeSnapshots']);
    add(e, 'tagged', ['ec2:DeleteSnapshot', 'ec2:EnableFastSnapshotRestores']);
    ec2Create(e, ['CreateSnapshot'], ['volume', 'snapshot']);
    e.snapshotVolume = true;
  }
  add(e, 'any', [
    'ec2:DescribeAvailabilityZones',
    'ec2:DescribeInstances',
    'ec2:DescribeInstanceTypes',
    'ec2:DescribeTags',
    'ec2:DescribeVolumes',
    'ec2:DescribeVolumesModifications',
    'ec2:DescribeVolumeStatus',
  ]);
  add(e, 'tagged', ['ec2:AttachVolume', 'ec2:DeleteVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume']);
  ec2Create(e, ['CopyVolumes', 'CreateVolume'], ['volume', 'snapshot']);
}

export function cloudControllerManager(e: Expectation, o: { cloudRoutes: boolean; nlbManaged: boolean }): void {
  const elb = (names: string[]) => names.map((n) => `elasticloadbalancing:${n}`);
  add(e, 'any', [
    'autoscaling:DescribeAutoScalingGroups',
    'autoscaling:DescribeTags',
    ...['DescribeInstances', 'DescribeRegions', 'DescribeAvailabilityZones', 'DescribeRouteTables', 'DescribeSecurityGroups'].map(
      (a) => `ec2:${a}`,
    ),
    ...['DescribeSubnets', 'DescribeVpcs', 'DescribeInstanceTopology'].map((a) => `ec2:${a}`),
    ...elb(['DescribeLoadBalancers', 'DescribeLoadBalancerAttributes', 'DescribeListeners', 'DescribeLoadBalancerPolicies']),
    ...elb(['DescribeTargetGroups', 'DescribeTargetGroupAttributes', 'DescribeTargetHealth']),
    'iam:CreateServiceLinkedRole',
    'kms:DescribeKey',
  ]);
  add(e, 'tagged', [
    ...['ModifyInstanceAttribute', 'AuthorizeSecurityGroupIngress', 'DeleteSecurityGroup', 'RevokeSecurityGroupIngress'].map(
      (a) => `ec2:${a}`,
    ),
    ...elb(['AttachLoadBalancerToSubnets', 'ApplySecurityGroupsToLoadBalancer', 'CreateLoadBalancerListeners', 'CreateLoadBalancerPolicy']),
    ...elb(['ConfigureHealthCheck', 'DeleteLoadBalancer', 'DeleteLoadBalancerListeners', 'DetachLoadBalancerFromSubnets']),
    ...elb(['DeregisterInstancesFromLoadBalancer', 'ModifyLoadBalancerAttributes', 'RegisterInstancesWithLoadBalancer']),
    ...elb(['SetLoadBalancerPoliciesForBackendServer', 'AddTags', 'DeleteListener', 'DeleteTargetGroup', 'ModifyListener']),
    ...elb([
      'ModifyTargetGroup',
      'ModifyTargetGroupAttributes',
      'RegisterTargets',
      'DeregisterTargets',
      'SetLoadBalancerPoliciesOfListener',
    ]),
    ...(o.nlbManaged ? elb(['SetSecurityGroups']) : []),
    ...(o.cloudRoutes ? ['ec2:CreateRoute', 'ec2:DeleteRoute'] : []),
  ]);
  add(e, 'create', elb(['CreateLoadBalancer', 'CreateListener', 'CreateTargetGroup']));
  ec2Create(e, ['CreateSecurityGroup'], ['security-group']);
}

export function loadBalancerController(e: Expectation, o: { waf: boolean; wafv2: boolean; shield: boolean }): void {
  const elb = (names: string[]) => names.map((n) => `elasticloadbalancing:${n}`);
  add(e, 'any', [
    ...['cognito-idp:DescribeUserPoolClient', 'acm:DescribeCertificate', 'acm:ListCertificates'],
    ...['DescribeAvailabilityZones', 'DescribeInstances', 'DescribeInternetGateways', 'DescribeNetworkInterfaces'].map((a) => `ec2:${a}`),
    ...['DescribeSubnets', 'DescribeSecurityGroups', 'DescribeVpcPeeringConnections', 'DescribeVpcs'].map((a) => `ec2:${a}`),
    ...['ec2:DescribeAccountAttributes', 'ec2:GetSecurityGroupsForVpc'],
    ...elb(['DescribeCapacityReservation', 'DescribeListeners', 'DescribeListenerAttributes', 'DescribeListenerCertificates']),
    ...elb(['DescribeLoadBalancers', 'DescribeLoadBalancerAttributes', 'DescribeRules', 'DescribeTags', 'DescribeTargetGroups']),
    ...elb(['DescribeTargetGroupAttributes', 'DescribeTargetHealth', 'DescribeTrustStores', 'SetRulePriorities']),
    ...(o.waf ? ['elasticloadbalancing:SetWebACL', ...['Associate', 'Disassociate', 'Get'].map((v) => `waf-regional:${v}WebACL`)] : []),
    ...(o.waf ? ['waf-regional:GetWebACLForResource'] : []),
    ...(o.wafv2 ? ['elasticloadbalancing:SetWebACL', ...['Associate', 'Disassociate', 'Get'].map((v) => `wafv2:${v}WebACL`)] : []),
    ...(o.wafv2 ? ['wafv2:GetWebACLForResource'] : []),
    ...(o.shield ? ['GetSubscriptionState', 'DescribeProtection', 'CreateProtection', 'DeleteProtection'].map((a) => `shield:${a}`) : []),
  ]);
  add(e, 'tagged', [
    ...['AuthorizeSecurityGroupIngress', 'DeleteSecurityGroup', 'RevokeSecurityGroupIngress'].map((a) => `ec2:${a}`),
    ...elb(['AddListenerCertificates', 'AddTags', 'DeleteListener', 'DeleteLoadBalancer', 'DeleteRule', 'DeleteTargetGroup']),
    ...elb([
      'DeregisterTargets',
      'ModifyCapacityReservation',
      'ModifyListener',
      'ModifyListenerAttributes',
      'ModifyLoadBalancerAttributes',
    ]),
    ...elb(['ModifyRule', 'ModifyTargetGroup', 'ModifyTargetGroupAttributes', 'RegisterTargets', 'RemoveListenerCertificates']),
    ...elb(['RemoveTags', 'SetIpAddressType', 'SetSecurityGroups', 'SetSubnets']),
  ]);
  add(e, 'create', elb(['CreateListener', 'CreateLoadBalancer', 'CreateRule', 'CreateTargetGroup']));
  ec2Create(e, ['CreateSecurityGroup'], ['security-group']);
}

/** Karpenter's read actions; its scoped statements are rows of their own (see strict-special.ts). */
export function karpenter(e: Expectation, o: { customProfiles: boolean; customerKeys: boolean }): void {
  if (o.customerKeys) addKms(e, false);
  add(e, 'any', [
    ...['DescribeCapacityReservations', 'DescribeImages', 'DescribeInstanceStatus', 'DescribeInstanceTypeOfferings'].map((a) => `ec2:${a}`),
    ...['DescribeInstanceTypes', 'DescribeInstances', 'DescribeLaunchTemplates', 'DescribePlacementGroups'].map((a) => `ec2:${a}`),
    ...['ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'],
    ...['iam:GetInstanceProfile', 'iam:ListInstanceProfiles', 'pricing:GetProducts', 'ssm:GetParameter'],
  ]);
  const types = ['fleet', 'instance', 'launch-template', 'network-interface', 'spot-instances-request', 'volume'];
  e.tagRules.push(
    { types, kind: 'create', createActions: ['CreateFleet', 'CreateLaunchTemplate', 'RunInstances'], nodepool: true },
    { types, kind: 'retag', nodepool: true },
  );
  e.karpenter = { customProfiles: o.customProfiles };
}
