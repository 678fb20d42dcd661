import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';

/**
 * The Route53 hosted zone the cluster's DNS records live in, and how Terraform learns its ID:
 * none (gossip or `dns.type: None`), an ID written in the spec, a lookup by zone name, or
 * a variable the user sets at plan time.
 */
export type HostedZone =
  | { readonly kind: 'none'; readonly reason: 'gossip' | 'dns-none' }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'lookup'; readonly name: string; readonly private: boolean }
  | { readonly kind: 'variable' };

/** A Route53 zone ID (`Z…`), also written `/hostedzone/Z…`. */
const ZONE_ID = /^(?:\/hostedzone\/)?(Z[A-Z0-9]{1,32})$/;
const DNS_NAME = /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

/** True for kops gossip clusters, which need no hosted zone. */
export function isGossipName(clusterName: string): boolean {
  return clusterName.endsWith('.k8s.local');
}

/** Reads `spec.dnsZone` and `spec.topology.dns.type` into the cluster's hosted zone. */
export function readHostedZone(clusterName: string, spec: YamlNode, report: Report): HostedZone {
  const dnsZone = spec.get('dnsZone');
  const dnsType = spec.at('topology', 'dns', 'type');
  const type = dnsType.unset ? 'Public' : dnsType.string();
  if (type !== 'Public' && type !== 'Private' && type !== 'None') {
    report.error('KI206', dnsType, `unknown DNS type ${JSON.stringify(dnsType.text() ?? null)}; use Public, Private or None`);
  }
  if (isGossipName(clusterName) || type === 'None') {
    const why = type === 'None' ? 'a cluster with DNS type None' : 'a gossip cluster (name ending .k8s.local)';
    if (!dnsZone.unset) report.warning('KI207', dnsZone, `ignored: ${why} uses no hosted zone`);
    return { kind: 'none', reason: type === 'None' ? 'dns-none' : 'gossip' };
  }
  if (dnsZone.unset) return { kind: 'variable' };
  const value = dnsZone.string();
  if (value === undefined || value.trim() === '') {
    report.error('KI206', dnsZone, 'must be a hosted zone ID (Z…) or a DNS zone name');
    return { kind: 'variable' };
  }
  const id = ZONE_ID.exec(value);
  if (id?.[1] !== undefined) return { kind: 'id', id: id[1] };
  if (value.startsWith('/hostedzone/') || /^Z[A-Za-z0-9]*$/.test(value)) {
    report.error('KI206', dnsZone, `'${value}' is not a hosted zone ID: IDs are 'Z' followed by upper-case letters and digits`);
    return { kind: 'variable' };
  }
  if (!DNS_NAME.test(value)) {
    report.error('KI206', dnsZone, `'${value}' is neither a hosted zone ID nor a DNS name`);
    return { kind: 'variable' };
  }
  return { kind: 'lookup', name: value.replace(/\.$/, '').toLowerCase(), private: type === 'Private' };
}
