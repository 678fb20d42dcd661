import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { AdditionalPolicy } from './additional-policies';
import { checkAddonRequirements } from './addon-requirements';
import type { CustomRole } from './custom-policies';
import type { ClusterFeatures } from './features';
import type { Generation } from './generation';
import type { HostedZone } from './hosted-zone';
import type { IamSettings } from './iam-settings';
import type { InstanceRoleKind } from './roles';
import type { ServiceAccountIssuer } from './service-account-issuer';
import { checkStrictOnly } from './strict-only';

/** What the combination checks look at, once each field is read on its own. */
export interface SpecParts {
  readonly generation: Generation;
  readonly iam: IamSettings;
  readonly features: ClusterFeatures;
  readonly hostedZone: HostedZone;
  readonly issuer: ServiceAccountIssuer | undefined;
  readonly customRoles: ReadonlyMap<InstanceRoleKind, CustomRole>;
  readonly additional: ReadonlyMap<InstanceRoleKind, AdditionalPolicy>;
}

/** Problems of fields together: each is fine alone, not with the other. */
export function checkCombinations(spec: YamlNode, parts: SpecParts, report: Report): void {
  const at = { pos: spec.pos, path: spec.path };
  for (const [role, custom] of parts.customRoles) {
    const extra = parts.additional.get(role);
    if (extra === undefined) continue;
    const message =
      `additionalPolicies.${role} cannot be combined with customPolicies.${role} (${custom.arn}): kops-iam does not manage ` +
      `that role; add the statements to the existing role instead`;
    report.error('KI404', extra.at, message);
  }
  checkStrictOnly(spec, parts.generation, parts.iam, report);
  if (parts.generation.kind === 'strict') {
    checkAddonRequirements(spec, parts.features, parts.iam, report);
    if (parts.hostedZone.kind === 'none' && parts.hostedZone.reason === 'gossip') {
      const message =
        'kops 1.37 refuses gossip clusters (names ending .k8s.local) unless spec.topology.dns.type is None; ' +
        'kops-iam writes the IAM of earlier kops, without DNS permissions';
      report.warning('KI207', at, message);
    }
  }
  const wantsRoles =
    (parts.generation.kind === 'strict' && parts.iam.useServiceAccountExternalPermissions) || parts.iam.serviceAccounts.length > 0;
  if (wantsRoles && parts.issuer?.source === 'default') {
    const message =
      `service-account roles trust the issuer ${parts.issuer.url}, kops' default without serviceAccountIssuerDiscovery; IAM has no ` +
      'OIDC provider for it unless you create one: set serviceAccountIssuerDiscovery (discoveryStore, enableAWSOIDCProvider)';
    report.warning('KI410', at, message);
  }
}
