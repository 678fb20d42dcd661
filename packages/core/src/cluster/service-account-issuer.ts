import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { ClusterRegion } from './region';
import { readBoolean, readText } from './scalars';
import { parseS3Location } from './state-store';

/**
 * The service-account issuer of the cluster (the OIDC issuer IAM trusts for roles of
 * service accounts), and whether kops creates its IAM OIDC provider.
 */
export interface ServiceAccountIssuer {
  /** The issuer URL, `https://…`. */
  readonly url: string;
  /** How the URL was found, for explain. */
  readonly source: 'kubeAPIServer.serviceAccountIssuer' | 'discoveryStore' | 'discoveryService' | 'default';
  /** `enableAWSOIDCProvider: true`: the IAM OIDC provider, with its client ids in order. */
  readonly provider?: { readonly clientIds: readonly string[]; readonly at: Placed };
}

/**
 * Reads `spec.serviceAccountIssuerDiscovery` and `spec.kubeAPIServer.serviceAccountIssuer`
 * and derives the issuer as kops does (pkg/model/components/discovery.go): an explicit
 * issuer wins; else the discovery store's HTTPS URL (an S3 bucket's virtual-hosted URL,
 * dual-stack for IPv6-only clusters); else the discovery service's URL; else
 * `https://api.internal.<cluster>`. kops asks S3 for the bucket's region; offline, the
 * cluster's region is assumed (set kubeAPIServer.serviceAccountIssuer when they differ).
 */
export function readServiceAccountIssuer(
  spec: YamlNode,
  cluster: string,
  where: ClusterRegion | undefined,
  ipv6Only: boolean,
  report: Report,
): ServiceAccountIssuer | undefined {
  const discovery = spec.get('serviceAccountIssuerDiscovery');
  const explicit = readText(spec.at('kubeAPIServer', 'serviceAccountIssuer'), report, 'KI410', 'the issuer URL');
  const enable = readBoolean(discovery.get('enableAWSOIDCProvider'), report) === true;
  const storeNode = discovery.get('discoveryStore');
  const serviceNode = discovery.at('discoveryService', 'url');
  const store = readText(storeNode, report, 'KI410', 'a URL such as s3://bucket/path');
  const service = readText(serviceNode, report, 'KI410', 'the discovery service URL');
  if (store !== undefined && service !== undefined)
    report.error('KI410', serviceNode, 'give discoveryStore or discoveryService, not both (as kops requires)');
  if (enable && store === undefined && service === undefined) {
    report.error(
      'KI410',
      discovery,
      'enableAWSOIDCProvider needs a discoveryStore (or discoveryService) where the issuer publishes its keys',
    );
  }
  const derived =
    explicit !== undefined
      ? ({ url: explicit, source: 'kubeAPIServer.serviceAccountIssuer' } as const)
      : store !== undefined
        ? storeIssuer(store, storeNode, where, ipv6Only, report)
        : service !== undefined
          ? ({ url: service, source: 'discoveryService' } as const)
          : ({ url: `https://api.internal.${cluster}`, source: 'default' } as const);
  if (derived === undefined) return undefined;
  if (!/^https:\/\/[^\s/]+[^\s\u0000-\u001f\u007f]*$/.test(derived.url))
    report.error(
      'KI410',
      explicit !== undefined ? spec.at('kubeAPIServer', 'serviceAccountIssuer') : store !== undefined ? storeNode : serviceNode,
      `the issuer ${JSON.stringify(derived.url)} must be an https:// URL without spaces or control characters`,
    );
  if (!enable) return derived;
  const audiences = readAudiences(discovery.get('additionalAudiences'), report);
  return { ...derived, provider: { clientIds: ['amazonaws.com', ...audiences], at: { pos: discovery.pos, path: discovery.path } } };
}

function storeIssuer(
  store: string,
  node: YamlNode,
  where: ClusterRegion | undefined,
  ipv6Only: boolean,
  report: Report,
): ServiceAccountIssuer | undefined {
  // kops' tests keep the store in memory: memfs://host/path is served as https://host/path.
  if (store.startsWith('memfs://')) return { url: `https://${store.slice('memfs://'.length)}`, source: 'discoveryStore' };
  const location = parseS3Location(store, node, report);
  if (location === undefined || location === 'memfs' || where === undefined) return undefined;
  if (location.bucket.includes('.')) {
    report.error(
      'KI410',
      node,
      `the discovery bucket '${location.bucket}' has dots; kops requires a bucket name without dots (its HTTPS certificate must match)`,
    );
    return undefined;
  }
  const host = `${location.bucket}.s3.${ipv6Only ? 'dualstack.' : ''}${where.region}.${where.partition.dnsSuffix}`;
  const message =
    `kops names the issuer after the bucket's own region, which it asks S3 for; kops-iam assumes the cluster's region ` +
    `(https://${host}…); if the bucket is in another region, set spec.kubeAPIServer.serviceAccountIssuer to its URL`;
  report.warning('KI410', node, message);
  return { url: `https://${host}${location.prefix === '' ? '' : `/${location.prefix}`}`, source: 'discoveryStore' };
}

function readAudiences(node: YamlNode, report: Report): string[] {
  if (node.unset) return [];
  if (node.kind !== 'seq') {
    report.error('KI410', node, 'must be a list of audiences (OIDC client ids)');
    return [];
  }
  return node.items().flatMap((item) => readText(item, report, 'KI410', 'an audience (an OIDC client id)') ?? []);
}

/** The issuer without `https://`: the host and path IAM names the provider by, and the prefix of its condition keys. */
export function issuerHost(issuer: ServiceAccountIssuer): string {
  return issuer.url.replace(/^https:\/\//, '');
}
