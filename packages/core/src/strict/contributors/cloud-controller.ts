import type { Grants } from '../grants';

/**
 * The AWS cloud controller manager: nodes, routes, security groups and load balancers of
 * Services (AddCCMPermissions). `cloudRoutes` for kubenet, `nlbSecurityGroups` for
 * `cloudConfig.nlbSecurityGroupMode: Managed`.
 */
export function cloudControllerManager(opts: { cloudRoutes: boolean; nlbSecurityGroups: boolean }): Grants {
  return {
    unconditional: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeTags',
      'ec2:DescribeInstances',
      'ec2:DescribeRegions',
      'ec2:DescribeAvailabilityZones',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'ec2:DescribeInstanceTopology',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeLoadBalancerPolicies',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'iam:CreateServiceLinkedRole',
      'kms:DescribeKey',
    ],
    clusterTagged: [
      'ec2:ModifyInstanceAttribute',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:DeleteSecurityGroup',
      'ec2:RevokeSecurityGroupIngress',
      'elasticloadbalancing:AttachLoadBalancerToSubnets',
      'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer',
      'elasticloadbalancing:CreateLoadBalancerListeners',
      'elasticloadbalancing:CreateLoadBalancerPolicy',
      'elasticloadbalancing:ConfigureHealthCheck',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:DeleteLoadBalancerListeners',
      'elasticloadbalancing:DetachLoadBalancerFromSubnets',
      'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
      'elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:RegisterTargets',
      'elasticloadbalancing:DeregisterTargets',
      'elasticloadbalancing:SetLoadBalancerPoliciesOfListener',
      ...(opts.nlbSecurityGroups ? ['elasticloadbalancing:SetSecurityGroups'] : []),
      ...(opts.cloudRoutes ? ['ec2:CreateRoute', 'ec2:DeleteRoute'] : []),
    ],
    clusterTaggedCreate: [
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:CreateTargetGroup',
    ],
    ec2Create: { actions: ['CreateSecurityGroup'], resourceTypes: ['security-group'] },
  };
}
