import type { ClusterSpec, InstanceGroupSpec, InstanceRoleKind } from '@kops-iam/core';
import { parseAllDocuments } from 'yaml';

/**
 * The settings of a cluster that decide kops' scoped ("strict") IAM, read by the tests
 * themselves from the manifest's YAML (v1alpha2 field paths, kops 1.37 defaults; see
 * /work/notes/kops-addons.md §3-§4), not from @kops-iam/core's readers: a wrong default
 * there (node-termination-handler, EBS CSI, calico's source/destination check …) shows
 * up as a matrix failure here.
 */
export interface StrictSettings {
  readonly cluster: string;
  /** `iam.useServiceAccountExternalPermissions`: addon permissions move to service-account roles. */
  readonly irsa: boolean;
  readonly dnsNone: boolean;
  readonly externalDns: 'dns-controller' | 'external-dns' | 'none';
  readonly ebsManaged: boolean;
  readonly snapshot: boolean;
  readonly autoscaler: { readonly enabled: boolean; readonly staticList: boolean };
  readonly lbc?: { readonly waf: boolean; readonly wafv2: boolean; readonly shield: boolean };
  readonly nth: { readonly enabled: boolean; readonly queue: boolean };
  readonly karpenter?: { readonly customProfiles: boolean; readonly customerKeys: boolean };
  readonly certManagerZones: readonly string[];
  readonly kubenet: boolean;
  readonly nlbManaged: boolean;
  readonly amazonVpc: boolean;
  readonly ciliumEni: boolean;
  readonly calico: boolean;
  readonly kubeRouter: boolean;
  readonly kindnet: boolean;
  readonly ipv6: boolean;
  readonly ecrMirrors: boolean;
  readonly encryptionConfig: boolean;
  readonly allowEcr: boolean;
  /** Roles whose instances may run the NVIDIA GPU driver (cluster-wide or one of the role's groups). */
  readonly nvidia: ReadonlySet<InstanceRoleKind>;
  /** Roles with a warm pool whose lifecycle hook is on (kops' WarmPoolSpec.ResolveDefaults). */
  readonly lifecycleHook: ReadonlySet<InstanceRoleKind>;
  /** The service-account issuer and whether kops creates its IAM OIDC provider. */
  readonly issuer: { readonly url: string; readonly provider: boolean; readonly clientIds: readonly string[] };
}

type Obj = Readonly<Record<string, unknown>>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The value at a path of mappings; keys match case-insensitively, as Go's JSON decoding of kops' YAML does. */
export function at(root: unknown, ...path: string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    const o = obj(node);
    if (o === undefined) return undefined;
    const found = Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase());
    node = found === undefined ? undefined : o[found];
  }
  return node;
}

const isTrue = (v: unknown) => v === true;
const isSet = (v: unknown) => v !== undefined && v !== null;

/** Every YAML document of the inputs as plain data (YAML 1.1 with merge keys, as kops reads manifests). */
export function manifestDocuments(files: readonly { readonly text: string }[]): unknown[] {
  return files.flatMap((f) =>
    parseAllDocuments(f.text, { version: '1.1', merge: true }).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown),
  );
}

/** The Cluster document of a cluster (kind Cluster, or the bare metadata + spec form). */
export function clusterDocument(docs: readonly unknown[], name: string): Obj {
  const doc = docs.find((d) => at(d, 'metadata', 'name') === name && (at(d, 'kind') === 'Cluster' || at(d, 'kind') === undefined));
  const spec = obj(at(doc, 'spec'));
  if (spec === undefined) throw new Error(`no Cluster document named ${name} in the case's input`);
  return spec;
}

/** The InstanceGroup documents of the cluster's groups (by name and cluster label). */
function groupDocuments(
  docs: readonly unknown[],
  name: string,
  groups: readonly InstanceGroupSpec[],
): { role: InstanceRoleKind; spec: Obj }[] {
  return groups.map((g) => {
    const doc = docs.find(
      (d) =>
        at(d, 'kind') === 'InstanceGroup' &&
        at(d, 'metadata', 'name') === g.name &&
        [undefined, name].includes(at(d, 'metadata', 'labels', 'kops.k8s.io/cluster') as string | undefined),
    );
    return { role: g.role, spec: obj(at(doc, 'spec')) ?? {} };
  });
}

/** Reads the strict settings of a cluster from the documents of its case. */
export function strictSettings(spec: ClusterSpec, groups: readonly InstanceGroupSpec[], docs: readonly unknown[]): StrictSettings {
  const s = clusterDocument(docs, spec.name);
  const igs = groupDocuments(docs, spec.name, groups);
  const net = (key: string) => isSet(at(s, 'networking', key));
  const ipv6 = String(at(s, 'nonMasqueradeCIDR') ?? '').includes(':');
  const karpenter = isTrue(at(s, 'karpenter', 'enabled'));
  const nthEnabled = !karpenter && at(s, 'nodeTerminationHandler', 'enabled') !== false;
  const provider = String(at(s, 'externalDns', 'provider') ?? '');
  return {
    cluster: spec.name,
    irsa: isTrue(at(s, 'iam', 'useServiceAccountExternalPermissions')),
    dnsNone: at(s, 'topology', 'dns', 'type') === 'None',
    externalDns:
      isTrue(at(s, 'externalDns', 'disable')) || provider === 'none'
        ? 'none'
        : provider === 'external-dns'
          ? 'external-dns'
          : 'dns-controller',
    ebsManaged: at(s, 'cloudConfig', 'awsEBSCSIDriver', 'managed') !== false,
    snapshot: isTrue(at(s, 'snapshotController', 'enabled')),
    autoscaler: {
      enabled: isTrue(at(s, 'clusterAutoscaler', 'enabled')),
      staticList: isTrue(at(s, 'clusterAutoscaler', 'awsUseStaticInstanceList')),
    },
    ...(isTrue(at(s, 'awsLoadBalancerController', 'enabled'))
      ? {
          lbc: {
            waf: isTrue(at(s, 'awsLoadBalancerController', 'enableWAF')),
            wafv2: isTrue(at(s, 'awsLoadBalancerController', 'enableWAFv2')),
            shield: isTrue(at(s, 'awsLoadBalancerController', 'enableShield')),
          },
        }
      : {}),
    nth: { enabled: nthEnabled, queue: nthEnabled && at(s, 'nodeTerminationHandler', 'enableSQSTerminationDraining') !== false },
    ...(karpenter ? { karpenter: karpenterOptions(igs) } : {}),
    certManagerZones: certManagerZones(s),
    kubenet: net('kubenet'),
    nlbManaged: at(s, 'cloudConfig', 'nlbSecurityGroupMode') === 'Managed',
    amazonVpc: net('amazonvpc'),
    ciliumEni: at(s, 'networking', 'cilium', 'ipam') === 'eni',
    calico: net('calico') && at(s, 'networking', 'calico', 'awsSrcDstCheck') !== 'DoNothing' && !ipv6,
    kubeRouter: net('kuberouter'),
    kindnet: net('kindnet'),
    ipv6,
    ecrMirrors: isTrue(at(s, 'containerd', 'useECRCredentialsForMirrors')),
    encryptionConfig: isTrue(at(s, 'encryptionConfig')),
    allowEcr: isTrue(at(s, 'iam', 'allowContainerRegistry')),
    nvidia: nvidiaRoles(s, igs),
    lifecycleHook: lifecycleHookRoles(s, igs),
    issuer: issuerOf(s, spec),
  };
}

function certManagerZones(s: Obj): string[] {
  if (!isTrue(at(s, 'certManager', 'enabled')) || at(s, 'certManager', 'managed') === false) return [];
  const zones = at(s, 'certManager', 'hostedZoneIDs');
  return Array.isArray(zones) ? zones.map(String) : [];
}

function karpenterOptions(igs: readonly { role: InstanceRoleKind; spec: Obj }[]): NonNullable<StrictSettings['karpenter']> {
  const managed = igs.filter((g) => g.role === 'node' && at(g.spec, 'manager') === 'Karpenter');
  return {
    customProfiles: managed.some((g) => isSet(at(g.spec, 'iam', 'profile'))),
    customerKeys: managed.some(
      (g) => isTrue(at(g.spec, 'rootVolumeEncryption')) && String(at(g.spec, 'rootVolumeEncryptionKey') ?? '') !== '',
    ),
  };
}

function nvidiaRoles(s: Obj, igs: readonly { role: InstanceRoleKind; spec: Obj }[]): Set<InstanceRoleKind> {
  if (isTrue(at(s, 'containerd', 'nvidiaGPU', 'enabled'))) return new Set(['master', 'apiserver', 'node']);
  return new Set(igs.filter((g) => g.role !== 'bastion' && isTrue(at(g.spec, 'containerd', 'nvidiaGPU', 'enabled'))).map((g) => g.role));
}

/** kops' WarmPoolSpec.ResolveDefaults then IsEnabled && EnableLifecycleHook, for node and apiserver groups (the control plane never). */
function lifecycleHookRoles(s: Obj, igs: readonly { role: InstanceRoleKind; spec: Obj }[]): Set<InstanceRoleKind> {
  const cluster = obj(at(s, 'warmPool'));
  const out = new Set<InstanceRoleKind>();
  for (const g of igs) {
    if (g.role !== 'node' && g.role !== 'apiserver') continue;
    const own = obj(at(g.spec, 'warmPool'));
    let maxSize: unknown;
    let hook: unknown;
    if (own === undefined) {
      if (cluster === undefined) continue;
      [maxSize, hook] = [at(cluster, 'maxSize'), at(cluster, 'enableLifecycleHook')];
    } else {
      maxSize = at(own, 'maxSize') ?? (cluster === undefined ? undefined : at(cluster, 'maxSize'));
      hook = isTrue(at(own, 'enableLifecycleHook')) || (cluster !== undefined && isTrue(at(cluster, 'enableLifecycleHook')));
    }
    if ((maxSize === undefined || maxSize === null || maxSize !== 0) && isTrue(hook)) out.add(g.role);
  }
  return out;
}

/** The DNS suffix of a region's partition, as AWS's endpoint rules give it. */
export function dnsSuffixOf(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-isof-')) return 'csp.hci.ic.gov';
  if (region.startsWith('eu-isoe-')) return 'cloud.adc-e.uk';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  return 'amazonaws.com';
}

/** kops' service-account issuer (components/discovery.go) and OIDC provider (awsmodel/oidc_provider.go). */
function issuerOf(s: Obj, spec: ClusterSpec): StrictSettings['issuer'] {
  const explicit = at(s, 'kubeAPIServer', 'serviceAccountIssuer');
  const store = at(s, 'serviceAccountIssuerDiscovery', 'discoveryStore');
  const service = at(s, 'serviceAccountIssuerDiscovery', 'discoveryService', 'url');
  let url = `https://api.internal.${spec.name}`;
  if (typeof explicit === 'string') url = explicit;
  else if (typeof store === 'string' && store.startsWith('memfs://')) url = `https://${store.slice('memfs://'.length)}`;
  else if (typeof store === 'string') {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(store);
    const dualStack = String(at(s, 'nonMasqueradeCIDR') ?? '').includes(':') ? 'dualstack.' : '';
    const path = (m?.[2] ?? '').replace(/\/+$/, '');
    url = `https://${m?.[1]}.s3.${dualStack}${spec.region}.${dnsSuffixOf(spec.region)}${path === '' ? '' : `/${path}`}`;
  } else if (typeof service === 'string') url = service;
  const audiences = at(s, 'serviceAccountIssuerDiscovery', 'additionalAudiences');
  return {
    url,
    provider: isTrue(at(s, 'serviceAccountIssuerDiscovery', 'enableAWSOIDCProvider')),
    clientIds: ['amazonaws.com', ...(Array.isArray(audiences) ? audiences.map(String) : [])],
  };
}
