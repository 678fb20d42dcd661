import { kopsTruncate } from '../plan/iam-names';
import { clusterAutoscaler, nodeTerminationHandler } from './contributors/autoscaling';
import { cloudControllerManager } from './contributors/cloud-controller';
import { certManager, dnsController } from './contributors/dns';
import { ebsCsiDriver, ebsSnapshots } from './contributors/ebs-csi';
import { karpenter } from './contributors/karpenter';
import { loadBalancerController } from './contributors/load-balancer-controller';
import { srcDstCheckOff } from './contributors/networking';
import type { Contribution } from './grants';
import type { StrictContext } from './instance-roles';

/** A kops addon's service account that gets an IAM role of its own, and that role's features. */
export interface AddonServiceAccount {
  readonly addon: string;
  readonly namespace: string;
  readonly name: string;
  readonly contributions: readonly Contribution[];
}

function sa(addon: string, name: string, contributions: Contribution[]): AddonServiceAccount {
  return { addon, namespace: 'kube-system', name, contributions };
}

/**
 * The addon service accounts kops gives roles to (upup/pkg/fi/cloudup/bootstrapchannelbuilder),
 * each with the gate kops checks. All but cert-manager's need
 * `iam.useServiceAccountExternalPermissions`; their permissions then leave the control plane.
 */
export function addonServiceAccounts(ctx: StrictContext): AddonServiceAccount[] {
  const out: AddonServiceAccount[] = [];
  const f = ctx.spec.features;
  const p = ctx.spec.partition.name;
  const add = (on: boolean, make: () => AddonServiceAccount) => on && out.push(make());
  if (ctx.spec.iam.useServiceAccountExternalPermissions) {
    const dns = ctx.spec.hostedZone.kind !== 'none' || ctx.spec.hostedZone.reason !== 'dns-none';
    const dnsGrants = (): Contribution[] => [{ rule: 'dns-controller', grants: dnsController(p, ctx.zoneId) }];
    add(dns && f.externalDnsProvider === 'dns-controller', () => sa('dns-controller', 'dns-controller', dnsGrants()));
    add(dns && f.externalDnsProvider === 'external-dns', () => sa('external-dns', 'external-dns', dnsGrants()));
    add(f.clusterAutoscaler.enabled, () =>
      sa('cluster-autoscaler', 'cluster-autoscaler', [
        { rule: 'cluster-autoscaler', grants: clusterAutoscaler({ staticInstanceList: f.clusterAutoscaler.staticInstanceList }) },
      ]),
    );
    add(f.nodeTerminationHandler.enabled, () =>
      sa('node-termination-handler', 'aws-node-termination-handler', [
        { rule: 'node-termination-handler', grants: nodeTerminationHandler() },
      ]),
    );
    const lbc = f.loadBalancerController;
    add(lbc !== undefined, () =>
      sa('aws-load-balancer-controller', 'aws-load-balancer-controller', [
        { rule: 'aws-load-balancer-controller', grants: loadBalancerController(lbc ?? { waf: false, wafv2: false, shield: false }) },
      ]),
    );
    add(f.kubeRouter, () => sa('kube-router', 'kube-router', [{ rule: 'kube-router', grants: srcDstCheckOff() }]));
    add(true, () =>
      sa('aws-cloud-controller-manager', 'aws-cloud-controller-manager', [
        {
          rule: 'cloud-controller-manager',
          grants: cloudControllerManager({ cloudRoutes: f.kubenet, nlbSecurityGroups: f.nlbSecurityGroupManaged }),
        },
      ]),
    );
    add(f.ebsCsiManaged, () => sa('aws-ebs-csi-driver', 'ebs-csi-controller-sa', ebsContributions(ctx)));
    add(f.karpenter, () => sa('karpenter', 'karpenter', [{ rule: 'karpenter', grants: karpenter(karpenterOptions(ctx)) }]));
  }
  // kops checks no IRSA setting here; its validation requires one (see cluster/addon-requirements.ts).
  add(f.certManagerZones.length > 0, () =>
    sa('cert-manager', 'cert-manager', [{ rule: 'cert-manager', grants: certManager(p, f.certManagerZones) }]),
  );
  return out;
}

function ebsContributions(ctx: StrictContext): Contribution[] {
  const snapshots: Contribution[] = ctx.spec.features.snapshotController
    ? [{ rule: 'ebs-snapshots', grants: ebsSnapshots(ctx.spec.partition.name, ctx.spec.name) }]
    : [];
  return [...snapshots, { rule: 'ebs-csi-driver', grants: ebsCsiDriver() }];
}

function karpenterOptions(ctx: StrictContext): Parameters<typeof karpenter>[0] {
  const managed = ctx.groups.filter((g) => g.karpenter && g.role === 'node');
  return {
    partition: ctx.spec.partition.name,
    cluster: ctx.spec.name,
    nodeRoleName: kopsTruncate(`nodes.${ctx.spec.name}`),
    ec2Service: `ec2.${ctx.spec.partition.dnsSuffix}`,
    customInstanceProfiles: managed.some((g) => g.profile !== undefined),
    customerManagedKeys: managed.some((g) => g.rootVolumeKey),
  };
}
