import { allowStatement, type Grants } from '../grants';

// What the network plugins do to instances and ENIs (pkg/model/iam/iam_builder.go).

/** The Amazon VPC CNI manages ENIs and their addresses (addAmazonVPCCNIPermissions). */
export function amazonVpcCni(partition: string): Grants {
  return {
    unconditional: [
      'ec2:AssignPrivateIpAddresses',
      'ec2:AttachNetworkInterface',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeInstances',
      'ec2:DescribeTags',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DetachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:UnassignPrivateIpAddresses',
    ],
    statements: [
      allowStatement({ values: ['ec2:CreateTags'], list: true }, { values: [`arn:${partition}:ec2:*:*:network-interface/*`], list: true }),
    ],
  };
}

/** Cilium with ENI IPAM (networking.cilium.ipam: eni; addCiliumEniPermissions). */
export function ciliumEni(): Grants {
  return {
    unconditional: [
      'ec2:DescribeSubnets',
      'ec2:AttachNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DeleteNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:DescribeVpcs',
      'ec2:CreateTags',
      'ec2:DescribeRouteTables',
      'ec2:DescribeTags',
      'ec2:DescribeInstances',
    ],
  };
}

/** Calico turns the source/destination check of instances off (awsSrcDstCheck other than DoNothing; addCalicoSrcDstCheckPermissions). */
export function calicoSrcDstCheck(): Grants {
  return { unconditional: ['ec2:DescribeInstances', 'ec2:ModifyNetworkInterfaceAttribute'] };
}

/** kube-router and kindnet turn the source/destination check of the cluster's instances off. */
export function srcDstCheckOff(): Grants {
  return { clusterTagged: ['ec2:ModifyInstanceAttribute'] };
}
