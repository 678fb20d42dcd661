import type { ClusterSpec } from '../cluster/cluster-spec';
import type { InstanceRoleKind } from '../cluster/roles';
import { hasLifecycleHook } from '../cluster/warm-pool';
import type { InstanceGroupSpec } from '../manifest/instance-group';
import type { Text } from '../policy/statement';
import { clusterAutoscaler, nodeTerminationHandler } from './contributors/autoscaling';
import { cloudControllerManager } from './contributors/cloud-controller';
import { dnsController } from './contributors/dns';
import { ebsCsiDriver, ebsSnapshots } from './contributors/ebs-csi';
import { loadBalancerController } from './contributors/load-balancer-controller';
import { amazonVpcCni, calicoSrcDstCheck, ciliumEni, srcDstCheckOff } from './contributors/networking';
import { ecr, ecrPullThrough, etcdManager, kms, kopsController, kopsControllerIpam, nodeup } from './contributors/node-basics';
import { stateStore } from './contributors/storage';
import type { Contribution, Grants } from './grants';

/** What the strict contributors of a cluster read. */
export interface StrictContext {
  readonly spec: ClusterSpec;
  /** All InstanceGroups of the cluster. */
  readonly groups: readonly InstanceGroupSpec[];
  /** The hosted zone's ID as policy text; undefined without a zone. */
  readonly zoneId: Text | undefined;
}

/** A feature's grants when `on`: the one shape every contributor of a role takes. */
function when(on: boolean, rule: string, grants: () => Grants): Contribution[] {
  return on ? [{ rule, grants: grants() }] : [];
}

/** kops' addNodeupPermissions for a role: on every instance kops boots. */
function nodeupOf(role: InstanceRoleKind, ctx: StrictContext): Contribution[] {
  const f = ctx.spec.features;
  const groups = ctx.groups.filter((g) => g.role === role);
  // The control plane never gets lifecycle hook permissions (kops passes false for it).
  const lifecycleHook = role !== 'master' && groups.some((g) => hasLifecycleHook(role, g.warmPool, f.warmPool));
  const nvidia = f.nvidiaGpu || groups.some((g) => g.nvidiaGpu);
  return when(true, 'nodeup', () =>
    nodeup({ lifecycleHook, describeInstanceTypes: nvidia || f.amazonVpc || f.ciliumEni, ipv6: f.ipv6Only }),
  );
}

/** What instances of every kops role share after their role's own features: registries and networking. */
function sharedTail(role: InstanceRoleKind, ctx: StrictContext): Contribution[] {
  const f = ctx.spec.features;
  const p = ctx.spec.partition.name;
  return [
    ...when(ctx.spec.iam.allowContainerRegistry, 'ecr', ecr),
    ...when(f.ecrMirrors, 'ecr-pull-through', ecrPullThrough),
    ...when(f.amazonVpc, 'amazon-vpc-cni', () => amazonVpcCni(p)),
    ...when(f.ciliumEni && role !== 'node', 'cilium-eni', ciliumEni),
    ...when(f.calicoSrcDstCheck, 'calico', calicoSrcDstCheck),
    ...when(f.kubeRouter && role === 'node', 'kube-router', srcDstCheckOff),
    ...when(f.kindnet, 'kindnet', srcDstCheckOff),
  ];
}

/** The addon controllers that run on the control plane unless they have service-account roles (IRSA). */
function controlPlaneAddons(ctx: StrictContext): Contribution[] {
  const f = ctx.spec.features;
  const p = ctx.spec.partition.name;
  return [
    // dns-controller or external-dns: with a zone, whatever the provider (kops does not look).
    ...when(ctx.zoneId !== undefined, 'dns-controller', () => dnsController(p, ctx.zoneId)),
    ...when(f.snapshotController, 'ebs-snapshots', () => ebsSnapshots(p, ctx.spec.name)),
    ...when(true, 'ebs-csi-driver', ebsCsiDriver),
    ...when(true, 'cloud-controller-manager', () =>
      cloudControllerManager({ cloudRoutes: f.kubenet, nlbSecurityGroups: f.nlbSecurityGroupManaged }),
    ),
    ...when(f.loadBalancerController !== undefined, 'aws-load-balancer-controller', () =>
      loadBalancerController(f.loadBalancerController ?? { waf: false, wafv2: false, shield: false }),
    ),
    // kops grants the autoscaler's permissions whether or not it runs.
    ...when(true, 'cluster-autoscaler', () => clusterAutoscaler({ staticInstanceList: f.clusterAutoscaler.staticInstanceList })),
    ...when(f.nodeTerminationHandler.queueMode, 'node-termination-handler', nodeTerminationHandler),
  ];
}

/** State store reads for the control plane and API servers; etcd backup writes for the control plane. */
function storage(role: 'master' | 'apiserver', ctx: StrictContext): Contribution[] {
  const backups = role === 'master' ? ctx.spec.backupStores : [];
  return when(ctx.spec.stateStores.length + backups.length > 0, 's3', () =>
    stateStore(ctx.spec.partition.name, { roots: ctx.spec.stateStores, backups }),
  );
}

/**
 * The features of an instance role's policy, as kops' BuildAWSPolicy of each node role
 * lists them: a base per role, then one contributor per feature, each gated by the
 * setting that turns it on. Bastions get nothing.
 */
export function instanceRoleContributions(role: InstanceRoleKind, ctx: StrictContext): Contribution[] {
  const f = ctx.spec.features;
  // kube-apiserver's kms-plugin calls KMS directly when encryptionConfig is on.
  const directKms = f.encryptionConfig;
  switch (role) {
    case 'master':
      return [
        ...when(true, 'etcd-manager', () => etcdManager(ctx.spec.name)),
        ...when(true, 'kops-controller', kopsController),
        ...nodeupOf(role, ctx),
        ...when(f.ipv6Only, 'kops-controller-ipam', kopsControllerIpam),
        ...storage(role, ctx),
        ...when(true, 'kms', () => kms(directKms)),
        ...(ctx.spec.iam.useServiceAccountExternalPermissions ? [] : controlPlaneAddons(ctx)),
        ...sharedTail(role, ctx),
      ];
    case 'apiserver':
      return [...nodeupOf(role, ctx), ...storage(role, ctx), ...when(true, 'kms', () => kms(directKms)), ...sharedTail(role, ctx)];
    case 'node':
      return [...nodeupOf(role, ctx), ...sharedTail(role, ctx)];
    case 'bastion':
      return [];
  }
}
