import type { Text } from '../../policy/statement';
import { joinText } from '../../policy/statement';
import { allowStatement, condition, type Grants } from '../grants';

/**
 * dns-controller and external-dns keep the cluster's records in its hosted zone
 * (AddDNSControllerPermissions). Nothing without a zone (DNS type None, gossip).
 */
export function dnsController(partition: string, zoneId: Text | undefined): Grants {
  if (zoneId === undefined) return {};
  return {
    statements: [
      allowStatement(
        { values: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone'], list: true },
        { values: [joinText(`arn:${partition}:route53:::hostedzone/`, zoneId)], list: true },
      ),
      allowStatement({ values: ['route53:GetChange'], list: true }, { values: [`arn:${partition}:route53:::change/*`], list: true }),
      allowStatement({ values: ['route53:ListHostedZones', 'route53:ListTagsForResource'], list: true }, { values: ['*'], list: true }),
    ],
  };
}

/**
 * cert-manager solves DNS-01 challenges in the zones it is given: only TXT records named
 * `_acme-challenge.*` (addonmanifests/certmanager). The zone IDs are used as written.
 */
export function certManager(partition: string, zoneIds: readonly string[]): Grants {
  const zones = { values: zoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`), list: true };
  return {
    statements: [
      allowStatement({ values: ['route53:ListResourceRecordSets'], list: true }, zones),
      allowStatement(
        { values: ['route53:ChangeResourceRecordSets'], list: true },
        zones,
        condition('ForAllValues:StringLike', { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] }),
        condition('ForAllValues:StringEquals', { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] }),
      ),
      allowStatement({ values: ['route53:GetChange'], list: true }, { values: [`arn:${partition}:route53:::change/*`], list: true }),
      allowStatement({ values: ['route53:ListHostedZonesByName'], list: true }, { values: ['*'], list: true }),
    ],
  };
}
