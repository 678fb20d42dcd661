import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { warmPoolOf, type WarmPoolSetting } from './warm-pool';
import { readBoolean } from './scalars';

/**
 * The settings of a cluster that decide which of kops' feature contributors add
 * permissions, with kops 1.37's defaults applied (each commented with where kops sets it).
 * Read from v1alpha2 field paths.
 */
export interface ClusterFeatures {
  /** `externalDns.provider`: dns-controller (kops' default), external-dns, or none (`disable: true`). */
  readonly externalDnsProvider: 'dns-controller' | 'external-dns' | 'none';
  /** `cloudConfig.awsEBSCSIDriver.managed` is not false. */
  readonly ebsCsiManaged: boolean;
  readonly snapshotController: boolean;
  readonly clusterAutoscaler: { readonly enabled: boolean; readonly staticInstanceList: boolean };
  readonly loadBalancerController?: { readonly waf: boolean; readonly wafv2: boolean; readonly shield: boolean };
  readonly nodeTerminationHandler: { readonly enabled: boolean; readonly queueMode: boolean };
  readonly karpenter: boolean;
  /** cert-manager enabled and managed, with the zones it may solve DNS-01 challenges in. */
  readonly certManagerZones: readonly string[];
  /** `networking.kubenet`: the cloud controller manages routes. */
  readonly kubenet: boolean;
  readonly nlbSecurityGroupManaged: boolean;
  readonly amazonVpc: boolean;
  readonly ciliumEni: boolean;
  /** Calico with `awsSrcDstCheck` other than DoNothing (unset counts: kops grants then). */
  readonly calicoSrcDstCheck: boolean;
  readonly kubeRouter: boolean;
  readonly kindnet: boolean;
  /** `nonMasqueradeCIDR` is IPv6 (`::/0`): kops-controller IPAM. */
  readonly ipv6Only: boolean;
  readonly nvidiaGpu: boolean;
  readonly ecrMirrors: boolean;
  readonly encryptionConfig: boolean;
  /** The cluster's default warm pool (`spec.warmPool`). */
  readonly warmPool?: WarmPoolSetting;
}

/** Reads the feature settings of a Cluster spec. */
export function readFeatures(spec: YamlNode, report: Report): ClusterFeatures {
  const flag = (...path: string[]) => readBoolean(spec.at(...path), report);
  const networking = spec.get('networking');
  const has = (...names: string[]) => names.some((n) => networking.get(n).present);
  const karpenter = flag('karpenter', 'enabled') === true;
  // kops leaves node-termination-handler off when Karpenter runs, else turns it on (components/nodeterminationhandler.go).
  const nthEnabled = !karpenter && flag('nodeTerminationHandler', 'enabled') !== false;
  const lbc = spec.get('awsLoadBalancerController');
  const calicoCheck = networking.at('calico', 'awsSrcDstCheck').string();
  const ipv6Only = spec.get('nonMasqueradeCIDR').string()?.includes(':') === true;
  return {
    externalDnsProvider: externalDnsProvider(spec.get('externalDns'), report),
    ebsCsiManaged: flag('cloudConfig', 'awsEBSCSIDriver', 'managed') !== false,
    snapshotController: flag('snapshotController', 'enabled') === true,
    clusterAutoscaler: {
      enabled: flag('clusterAutoscaler', 'enabled') === true,
      staticInstanceList: flag('clusterAutoscaler', 'awsUseStaticInstanceList') === true,
    },
    ...(flag('awsLoadBalancerController', 'enabled') === true
      ? {
          loadBalancerController: {
            waf: readBoolean(lbc.get('enableWAF'), report) === true,
            wafv2: readBoolean(lbc.get('enableWAFv2'), report) === true,
            shield: readBoolean(lbc.get('enableShield'), report) === true,
          },
        }
      : {}),
    nodeTerminationHandler: {
      enabled: nthEnabled,
      queueMode: nthEnabled && flag('nodeTerminationHandler', 'enableSQSTerminationDraining') !== false,
    },
    karpenter,
    certManagerZones: certManagerZones(spec.get('certManager'), report),
    kubenet: has('kubenet'),
    nlbSecurityGroupManaged: spec.at('cloudConfig', 'nlbSecurityGroupMode').string() === 'Managed',
    amazonVpc: has('amazonvpc', 'amazonVPC'),
    ciliumEni: networking.at('cilium', 'ipam').string() === 'eni',
    calicoSrcDstCheck: has('calico') && calicoCheck !== 'DoNothing' && !ipv6Only,
    kubeRouter: has('kuberouter', 'kubeRouter'),
    kindnet: has('kindnet'),
    ipv6Only,
    nvidiaGpu: flag('containerd', 'nvidiaGPU', 'enabled') === true,
    ecrMirrors: flag('containerd', 'useECRCredentialsForMirrors') === true,
    encryptionConfig: flag('encryptionConfig') === true,
    ...warmPoolOf(spec.get('warmPool'), report),
  };
}

function externalDnsProvider(node: YamlNode, report: Report): ClusterFeatures['externalDnsProvider'] {
  if (readBoolean(node.get('disable'), report) === true) return 'none';
  const provider = node.get('provider');
  const value = provider.string();
  if (provider.unset || value === '' || value === 'dns-controller') return 'dns-controller';
  if (value === 'external-dns' || value === 'none') return value;
  report.error(
    'KI215',
    provider,
    `unknown externalDns provider ${JSON.stringify(provider.text() ?? null)}; use dns-controller, external-dns or none`,
  );
  return 'dns-controller';
}

/** cert-manager's hosted zones, when it is enabled and managed by kops (it then gets a role of its own). */
function certManagerZones(node: YamlNode, report: Report): string[] {
  if (readBoolean(node.get('enabled'), report) !== true || readBoolean(node.get('managed'), report) === false) return [];
  const zones = node.get('hostedZoneIDs');
  if (zones.unset) return [];
  if (zones.kind !== 'seq') {
    report.error('KI215', zones, 'must be a list of hosted zone IDs');
    return [];
  }
  return zones.items().flatMap((z) => {
    const id = z.string();
    if (id !== undefined && /^Z[A-Z0-9]{1,32}$/.test(id)) return [id];
    report.error(
      'KI215',
      z,
      `${JSON.stringify(z.text() ?? null)} is not a hosted zone ID (Z followed by upper-case letters and digits, without /hostedzone/: ` +
        `kops writes it into the ARN as given)`,
    );
    return [];
  });
}
