import { allowStatement, condition, type Grants } from '../grants';

// The permissions of kops' own processes on the instances (pkg/model/iam/iam_builder.go).

/** etcd-manager finds and attaches the etcd volumes of this cluster's control plane (addEtcdManagerPermissions). */
export function etcdManager(cluster: string): Grants {
  const attach = allowStatement(
    { values: ['ec2:AttachVolume'] },
    { values: ['*'], list: true },
    condition('StringEquals', { 'aws:ResourceTag/k8s.io/role/master': '1', 'aws:ResourceTag/KubernetesCluster': cluster }),
  );
  return { unconditional: ['ec2:DescribeInstances', 'ec2:DescribeVolumes'], statements: [attach] };
}

/** kops-controller verifies and identifies nodes (addKopsControllerPermissions). */
export function kopsController(): Grants {
  return { unconditional: ['ec2:DescribeInstances'] };
}

/** kops-controller's IPAM for IPv6-only clusters (addKopsControllerIPAMPermissions). */
export function kopsControllerIpam(): Grants {
  return { unconditional: ['ec2:DescribeNetworkInterfaces'] };
}

/** What nodeup needs on every instance (addNodeupPermissions): lifecycle hooks of warm pools, instance types, IPv6 addresses. */
export function nodeup(opts: { lifecycleHook: boolean; describeInstanceTypes: boolean; ipv6: boolean }): Grants {
  return {
    unconditional: [
      ...(opts.lifecycleHook ? ['autoscaling:DescribeLifecycleHooks'] : []),
      ...(opts.describeInstanceTypes ? ['ec2:DescribeInstanceTypes'] : []),
      ...(opts.ipv6 ? ['ec2:AssignIpv6Addresses'] : []),
    ],
    clusterTagged: opts.lifecycleHook ? ['autoscaling:CompleteLifecycleAction'] : [],
  };
}

/** Pulling images from ECR (spec.iam.allowContainerRegistry; addECRPermissions). */
export function ecr(): Grants {
  return {
    unconditional: [
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:GetRepositoryPolicy',
      'ecr:DescribeRepositories',
      'ecr:ListImages',
      'ecr:BatchGetImage',
    ],
  };
}

/** ECR pull-through caches for containerd mirrors (containerd.useECRCredentialsForMirrors; addECRPullThroughPermissions). */
export function ecrPullThrough(): Grants {
  return { unconditional: ['ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository', 'ecr:TagResource'] };
}

/** Customer managed KMS keys used through EC2 and S3, or directly by a kms-plugin of kube-apiserver (addKMSIAMPolicies). */
export function kms(direct: boolean): Grants {
  return { kms: direct ? 'direct' : 'via-service' };
}
