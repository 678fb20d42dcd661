import { describe, expect, it } from 'vitest';
import { readFeatures } from '../../src/cluster/features';
import { specLines } from '../helpers';

// kops 1.37's defaults, from /work/notes/kops-addons.md §3 (each fact with kops' source line there).

function features(...lines: string[]) {
  const { spec, report } = specLines('  cloudProvider: aws', ...lines);
  return { f: readFeatures(spec, report), diagnostics: report.diagnostics.map((d) => [d.code, d.path, d.message]) };
}

describe('readFeatures: kops defaults of an empty spec', () => {
  it('runs dns-controller, the managed EBS CSI driver and node-termination-handler in queue mode; nothing else', () => {
    expect(features()).toEqual({
      f: {
        externalDnsProvider: 'dns-controller',
        ebsCsiManaged: true,
        snapshotController: false,
        clusterAutoscaler: { enabled: false, staticInstanceList: false },
        nodeTerminationHandler: { enabled: true, queueMode: true },
        karpenter: false,
        certManagerZones: [],
        kubenet: false,
        nlbSecurityGroupManaged: false,
        amazonVpc: false,
        ciliumEni: false,
        calicoSrcDstCheck: false,
        kubeRouter: false,
        kindnet: false,
        ipv6Only: false,
        nvidiaGpu: false,
        ecrMirrors: false,
        encryptionConfig: false,
      },
      diagnostics: [],
    });
  });
});

describe('readFeatures: node-termination-handler (§3.5)', () => {
  it('is on unless Karpenter runs or it is turned off', () => {
    expect(features('  karpenter: {enabled: true}').f.nodeTerminationHandler).toEqual({ enabled: false, queueMode: false });
    expect(features('  nodeTerminationHandler: {enabled: false}').f.nodeTerminationHandler).toEqual({ enabled: false, queueMode: false });
    expect(features('  nodeTerminationHandler: {managedASGTag: x}').f.nodeTerminationHandler).toEqual({ enabled: true, queueMode: true });
  });

  it('runs in queue mode unless enableSQSTerminationDraining is false (nth-imds-processor reference case)', () => {
    expect(features('  nodeTerminationHandler: {enabled: true, enableSQSTerminationDraining: false}').f.nodeTerminationHandler).toEqual({
      enabled: true,
      queueMode: false,
    });
    expect(features('  nodeTerminationHandler: {enableSQSTerminationDraining: true}').f.nodeTerminationHandler.queueMode).toBe(true);
  });
});

describe('readFeatures: DNS (§3.8)', () => {
  it.each([
    [['  externalDns: {provider: external-dns}'], 'external-dns'],
    [['  externalDns: {provider: none}'], 'none'],
    [['  externalDns: {provider: dns-controller}'], 'dns-controller'],
    [['  externalDns: {provider: ""}'], 'dns-controller'],
    [['  externalDns: {disable: true}'], 'none'],
    [['  externalDns: {disable: true, provider: external-dns}'], 'none'],
  ])('%j gives %s', (lines, provider) => {
    expect(features(...lines).f.externalDnsProvider).toBe(provider);
  });

  it('refuses an unknown provider (KI215)', () => {
    expect(features('  externalDns: {provider: route53}').diagnostics).toEqual([
      ['KI215', 'spec.externalDns.provider', 'unknown externalDns provider "route53"; use dns-controller, external-dns or none'],
    ]);
  });
});

describe('readFeatures: networking (§3.10, v1alpha2 spellings)', () => {
  it('grants Calico its source/destination check unless awsSrcDstCheck is DoNothing or the cluster is IPv6-only', () => {
    expect(features('  networking: {calico: {}}').f.calicoSrcDstCheck).toBe(true);
    expect(features('  networking: {calico: {awsSrcDstCheck: Disable}}').f.calicoSrcDstCheck).toBe(true);
    expect(features('  networking: {calico: {awsSrcDstCheck: DoNothing}}').f.calicoSrcDstCheck).toBe(false);
    expect(features('  networking: {calico: {}}', '  nonMasqueradeCIDR: ::/0').f.calicoSrcDstCheck).toBe(false);
  });

  it('reads the plugins by their v1alpha2 names, and the internal spellings too', () => {
    expect(features('  networking: {amazonvpc: {}}').f.amazonVpc).toBe(true);
    expect(features('  networking: {amazonVPC: {}}').f.amazonVpc).toBe(true);
    expect(features('  networking: {kuberouter: {}}').f.kubeRouter).toBe(true);
    expect(features('  networking: {kubeRouter: {}}').f.kubeRouter).toBe(true);
    expect(features('  networking: {kubenet: {}}').f.kubenet).toBe(true);
    expect(features('  networking: {kindnet: {}}').f.kindnet).toBe(true);
    expect(features('  networking: {cilium: {ipam: eni}}').f.ciliumEni).toBe(true);
    expect(features('  networking: {cilium: {}}').f.ciliumEni).toBe(false);
    expect(features('  networking: {cni: {}}').f).toMatchObject({ amazonVpc: false, kubeRouter: false, kubenet: false, kindnet: false });
  });

  it('is IPv6-only when nonMasqueradeCIDR is IPv6', () => {
    expect(features('  nonMasqueradeCIDR: ::/0').f.ipv6Only).toBe(true);
    expect(features('  nonMasqueradeCIDR: 100.64.0.0/10').f.ipv6Only).toBe(false);
  });
});

describe('readFeatures: addons', () => {
  it('reads cluster-autoscaler and its static instance list', () => {
    expect(features('  clusterAutoscaler: {enabled: true, awsUseStaticInstanceList: true}').f.clusterAutoscaler).toEqual({
      enabled: true,
      staticInstanceList: true,
    });
  });

  it('reads the load-balancer controller with its WAF, WAFv2 and Shield options, only when enabled', () => {
    expect(
      features('  awsLoadBalancerController: {enabled: true, enableWAFv2: true, enableShield: true}').f.loadBalancerController,
    ).toEqual({
      waf: false,
      wafv2: true,
      shield: true,
    });
    expect(features('  awsLoadBalancerController: {enableWAF: true}').f.loadBalancerController).toBeUndefined();
  });

  it("turns the EBS CSI driver's role off with managed: false only", () => {
    expect(features('  cloudConfig: {awsEBSCSIDriver: {managed: false}}').f.ebsCsiManaged).toBe(false);
    expect(features('  cloudConfig: {awsEBSCSIDriver: {enabled: true}}').f.ebsCsiManaged).toBe(true);
  });

  it('reads cert-manager zones only when cert-manager is enabled and managed', () => {
    expect(features('  certManager: {enabled: true, hostedZoneIDs: [Z1, Z2ABC]}').f.certManagerZones).toEqual(['Z1', 'Z2ABC']);
    expect(features('  certManager: {enabled: true, managed: false, hostedZoneIDs: [Z1]}').f.certManagerZones).toEqual([]);
    expect(features('  certManager: {hostedZoneIDs: [Z1]}').f.certManagerZones).toEqual([]);
  });

  it('refuses zone ids kops would write into ARNs wrongly (KI215)', () => {
    expect(features('  certManager: {enabled: true, hostedZoneIDs: [/hostedzone/Z1]}').diagnostics).toEqual([
      [
        'KI215',
        'spec.certManager.hostedZoneIDs[0]',
        '"/hostedzone/Z1" is not a hosted zone ID (Z followed by upper-case letters and digits, without /hostedzone/: kops writes it ' +
          'into the ARN as given)',
      ],
    ]);
    expect(features('  certManager: {enabled: true, hostedZoneIDs: Z1}').diagnostics).toEqual([
      ['KI215', 'spec.certManager.hostedZoneIDs', 'must be a list of hosted zone IDs'],
    ]);
  });

  it('reads the remaining switches', () => {
    expect(
      features(
        '  snapshotController: {enabled: true}',
        '  cloudConfig: {nlbSecurityGroupMode: Managed}',
        '  containerd: {nvidiaGPU: {enabled: true}, useECRCredentialsForMirrors: true}',
        '  encryptionConfig: true',
        '  warmPool: {maxSize: 2, enableLifecycleHook: true}',
      ).f,
    ).toMatchObject({
      snapshotController: true,
      nlbSecurityGroupManaged: true,
      nvidiaGpu: true,
      ecrMirrors: true,
      encryptionConfig: true,
      warmPool: { maxSize: 2, enableLifecycleHook: true },
    });
  });

  it('refuses switches that are not booleans (KI213)', () => {
    expect(features('  karpenter: {enabled: "yes"}').diagnostics).toEqual([['KI213', 'spec.karpenter.enabled', 'must be true or false']]);
  });
});
