import type { InstanceRoleKind } from '@kops-iam/core';
import * as a from './strict-addons';
import * as g from './strict-grants';
import type { StrictSettings } from './strict-settings';

/**
 * Which roles kops gives a strict cluster and what each may do, composed the way kops'
 * PolicyBuilder composes them (iam_builder.go BuildAWSPolicy per role; the addon service
 * accounts of bootstrapchannelbuilder.go), from the tests' own reading of the spec.
 */

/** What the control plane, API servers, nodes and bastions may do. */
export function instanceRoleExpectation(role: InstanceRoleKind, s: StrictSettings, zone: string | undefined): g.Expectation {
  const e = g.emptyExpectation();
  if (role === 'bastion') return e;
  const nodeupOptions = {
    lifecycleHook: s.lifecycleHook.has(role),
    instanceTypes: s.nvidia.has(role) || s.amazonVpc || s.ciliumEni,
    ipv6: s.ipv6,
  };
  if (role === 'master') {
    g.etcdManager(e);
    g.kopsController(e, s.ipv6);
    g.nodeup(e, { ...nodeupOptions, lifecycleHook: false });
  } else g.nodeup(e, nodeupOptions);
  if (role !== 'node') {
    e.s3 = { backups: role === 'master' };
    g.addKms(e, s.encryptionConfig);
  }
  if (role === 'master' && !s.irsa) controlPlaneAddons(e, s, zone);
  if (s.allowEcr) g.ecr(e);
  if (s.ecrMirrors) g.ecrPullThrough(e);
  if (s.amazonVpc) g.amazonVpc(e);
  if (s.ciliumEni && role !== 'node') g.ciliumEni(e);
  if (s.calico) g.calico(e);
  if (s.kubeRouter && role === 'node') g.srcDstCheck(e);
  if (s.kindnet) g.srcDstCheck(e);
  return e;
}

/** Without service-account roles, the control plane runs the addons with its own permissions. */
function controlPlaneAddons(e: g.Expectation, s: StrictSettings, zone: string | undefined): void {
  if (!s.dnsNone) g.dnsController(e, zone);
  a.ebsCsi(e, s.snapshot);
  a.cloudControllerManager(e, { cloudRoutes: s.kubenet, nlbManaged: s.nlbManaged });
  if (s.lbc !== undefined) a.loadBalancerController(e, s.lbc);
  // kops adds the autoscaler's permissions to the control plane whether or not the autoscaler runs.
  a.clusterAutoscaler(e, s.autoscaler.staticList);
  if (s.nth.queue) a.nodeTerminationHandler(e);
}

/** A service account kops gives an IAM role, and what it may do. */
export interface ServiceAccountExpectation {
  readonly namespace: string;
  readonly name: string;
  readonly expectation: g.Expectation;
}

function sa(name: string, build: (e: g.Expectation) => void): ServiceAccountExpectation {
  const expectation = g.emptyExpectation();
  build(expectation);
  return { namespace: 'kube-system', name, expectation };
}

/** The addon service accounts with roles of their own (strict generation only). */
export function addonServiceAccounts(s: StrictSettings, zone: string | undefined): ServiceAccountExpectation[] {
  const out: ServiceAccountExpectation[] = [];
  if (s.irsa) {
    if (!s.dnsNone && s.externalDns === 'dns-controller') out.push(sa('dns-controller', (e) => g.dnsController(e, zone)));
    if (!s.dnsNone && s.externalDns === 'external-dns') out.push(sa('external-dns', (e) => g.dnsController(e, zone)));
    if (s.autoscaler.enabled) out.push(sa('cluster-autoscaler', (e) => a.clusterAutoscaler(e, s.autoscaler.staticList)));
    if (s.nth.enabled) out.push(sa('aws-node-termination-handler', (e) => a.nodeTerminationHandler(e)));
    const lbc = s.lbc;
    if (lbc !== undefined) out.push(sa('aws-load-balancer-controller', (e) => a.loadBalancerController(e, lbc)));
    if (s.kubeRouter) out.push(sa('kube-router', (e) => g.srcDstCheck(e)));
    out.push(sa('aws-cloud-controller-manager', (e) => a.cloudControllerManager(e, { cloudRoutes: s.kubenet, nlbManaged: s.nlbManaged })));
    if (s.ebsManaged) out.push(sa('ebs-csi-controller-sa', (e) => a.ebsCsi(e, s.snapshot)));
    const k = s.karpenter;
    if (k !== undefined) out.push(sa('karpenter', (e) => a.karpenter(e, k)));
  }
  if (s.certManagerZones.length > 0) out.push(sa('cert-manager', (e) => g.certManager(e, s.certManagerZones)));
  return out;
}

/** Every grant kops has for any role: the actions the matrix probes on every role. */
export function everyKopsAction(): Set<string> {
  const e = g.emptyExpectation();
  g.etcdManager(e);
  g.kopsController(e, true);
  g.nodeup(e, { lifecycleHook: true, instanceTypes: true, ipv6: true });
  a.ebsCsi(e, true);
  a.cloudControllerManager(e, { cloudRoutes: true, nlbManaged: true });
  a.loadBalancerController(e, { waf: true, wafv2: true, shield: true });
  a.clusterAutoscaler(e, false);
  a.nodeTerminationHandler(e);
  g.ecr(e);
  g.ecrPullThrough(e);
  g.amazonVpc(e);
  g.ciliumEni(e);
  g.calico(e);
  g.srcDstCheck(e);
  a.karpenter(e, { customProfiles: false, customerKeys: true });
  return new Set(e.actions.keys());
}
