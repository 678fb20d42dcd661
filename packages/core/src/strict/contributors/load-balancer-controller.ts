import type { Grants } from '../grants';

/** What the controller reads: certificates, networks, load balancers (unconditional in kops). */
const LBC_READ_ACTIONS = [
  'cognito-idp:DescribeUserPoolClient',
  'acm:DescribeCertificate',
  'acm:ListCertificates',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeInternetGateways',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVpcPeeringConnections',
  'ec2:DescribeVpcs',
  'ec2:DescribeAccountAttributes',
  'ec2:GetSecurityGroupsForVpc',
  'elasticloadbalancing:DescribeCapacityReservation',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeListenerCertificates',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTrustStores',
  'elasticloadbalancing:SetRulePriorities',
];

/** What the controller changes on the cluster's own load balancers and security groups (cluster-tagged). */
const LBC_MODIFY_ACTIONS = [
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:DeleteSecurityGroup',
  'ec2:RevokeSecurityGroupIngress',
  'elasticloadbalancing:AddListenerCertificates',
  'elasticloadbalancing:AddTags',
  'elasticloadbalancing:DeleteListener',
  'elasticloadbalancing:DeleteLoadBalancer',
  'elasticloadbalancing:DeleteRule',
  'elasticloadbalancing:DeleteTargetGroup',
  'elasticloadbalancing:DeregisterTargets',
  'elasticloadbalancing:ModifyCapacityReservation',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:ModifyListenerAttributes',
  'elasticloadbalancing:ModifyLoadBalancerAttributes',
  'elasticloadbalancing:ModifyRule',
  'elasticloadbalancing:ModifyTargetGroup',
  'elasticloadbalancing:ModifyTargetGroupAttributes',
  'elasticloadbalancing:RegisterTargets',
  'elasticloadbalancing:RemoveListenerCertificates',
  'elasticloadbalancing:RemoveTags',
  'elasticloadbalancing:SetIpAddressType',
  'elasticloadbalancing:SetSecurityGroups',
  'elasticloadbalancing:SetSubnets',
];

/** The AWS Load Balancer Controller, with its WAF, WAFv2 and Shield options (AddAWSLoadbalancerControllerPermissions). */
export function loadBalancerController(opts: { waf: boolean; wafv2: boolean; shield: boolean }): Grants {
  const webAcl = (service: string) => [
    'elasticloadbalancing:SetWebACL',
    ...['AssociateWebACL', 'DisassociateWebACL', 'GetWebACL', 'GetWebACLForResource'].map((a) => `${service}:${a}`),
  ];
  return {
    unconditional: [
      ...LBC_READ_ACTIONS,
      ...(opts.waf ? webAcl('waf-regional') : []),
      ...(opts.wafv2 ? webAcl('wafv2') : []),
      ...(opts.shield
        ? ['shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection']
        : []),
    ],
    clusterTagged: LBC_MODIFY_ACTIONS,
    clusterTaggedCreate: [
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:CreateTargetGroup',
    ],
    ec2Create: { actions: ['CreateSecurityGroup'], resourceTypes: ['security-group'] },
  };
}
