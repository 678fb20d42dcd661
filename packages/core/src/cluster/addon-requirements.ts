import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { ClusterFeatures } from './features';
import type { IamSettings } from './iam-settings';

/**
 * kops' own rules between addon settings that decide roles (pkg/apis/kops/validation):
 * Karpenter and cert-manager's DNS-01 solver run only with service-account roles, and
 * node-termination-handler cannot run beside Karpenter. kops refuses such a manifest;
 * so does kops-iam, instead of guessing which role gets what.
 */
export function checkAddonRequirements(spec: YamlNode, features: ClusterFeatures, iam: IamSettings, report: Report): void {
  const irsa = iam.useServiceAccountExternalPermissions;
  const needsIrsa = 'set spec.iam.useServiceAccountExternalPermissions: true (with serviceAccountIssuerDiscovery)';
  if (features.karpenter && !irsa)
    report.error('KI215', spec.at('karpenter', 'enabled'), `Karpenter runs with a service-account role in kops; ${needsIrsa}`);
  if (features.certManagerZones.length > 0 && !irsa) {
    report.error(
      'KI215',
      spec.at('certManager', 'hostedZoneIDs'),
      `cert-manager solves DNS-01 challenges with a service-account role in kops; ${needsIrsa}`,
    );
  }
  const nth = spec.at('nodeTerminationHandler', 'enabled');
  if (features.karpenter && nth.scalar() === true) {
    report.error(
      'KI215',
      nth,
      'node-termination-handler cannot run with Karpenter (kops refuses it); remove nodeTerminationHandler.enabled or set it to false',
    );
  }
}
