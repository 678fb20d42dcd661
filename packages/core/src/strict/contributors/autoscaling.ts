import type { Grants } from '../grants';

/**
 * cluster-autoscaler scales the cluster's groups (AddClusterAutoscalerPermissions); with a
 * static instance list it needs no instance types.
 */
export function clusterAutoscaler(opts: { staticInstanceList: boolean }): Grants {
  return {
    clusterTagged: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
    unconditional: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeAutoScalingInstances',
      'autoscaling:DescribeLaunchConfigurations',
      'autoscaling:DescribeScalingActivities',
      'ec2:DescribeImages',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:GetInstanceTypesFromInstanceRequirements',
      ...(opts.staticInstanceList ? [] : ['ec2:DescribeInstanceTypes']),
    ],
  };
}

/** node-termination-handler in queue mode reads interruption events from SQS (AddNodeTerminationHandlerSQSPermissions). */
export function nodeTerminationHandler(): Grants {
  return {
    // SQS permissions do not support conditions.
    unconditional: [
      'autoscaling:DescribeAutoScalingInstances',
      'autoscaling:DescribeTags',
      'ec2:DescribeInstances',
      'sqs:DeleteMessage',
      'sqs:ReceiveMessage',
    ],
    clusterTagged: ['autoscaling:CompleteLifecycleAction'],
  };
}
