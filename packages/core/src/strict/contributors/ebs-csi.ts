import { allowStatement, condition, type Grants } from '../grants';

/**
 * The EBS CSI driver creates, attaches and resizes the cluster's volumes, with customer
 * managed keys through EC2 (AddAWSEBSCSIDriverPermissions).
 */
export function ebsCsiDriver(): Grants {
  return {
    kms: 'via-service',
    unconditional: [
      'ec2:DescribeAvailabilityZones',
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeTags',
      'ec2:DescribeVolumes',
      'ec2:DescribeVolumesModifications',
      'ec2:DescribeVolumeStatus',
    ],
    clusterTagged: ['ec2:AttachVolume', 'ec2:DeleteVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume'],
    ec2Create: { actions: ['CopyVolumes', 'CreateVolume'], resourceTypes: ['volume', 'snapshot'] },
  };
}

/** Volume snapshots, with `snapshotController.enabled` (addSnapshotPermissions); added before the driver's own grants, as kops does. */
export function ebsSnapshots(partition: string, cluster: string): Grants {
  return {
    unconditional: ['ec2:CreateSnapshot', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeSnapshots'],
    clusterTagged: ['ec2:DeleteSnapshot', 'ec2:EnableFastSnapshotRestores'],
    ec2Create: { actions: ['CreateSnapshot'], resourceTypes: ['volume', 'snapshot'] },
    statements: [
      allowStatement(
        { values: ['ec2:CreateVolume'] },
        { values: [`arn:${partition}:ec2:*:*:snapshot/*`], list: true },
        condition('StringEquals', { 'aws:ResourceTag/KubernetesCluster': cluster }),
      ),
    ],
  };
}
