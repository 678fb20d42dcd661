import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { Generation } from './generation';
import type { IamSettings } from './iam-settings';

/**
 * Settings that only mean something for scoped (strict) IAM. In the legacy generation the
 * control plane holds ec2:* and every addon's permissions; moving them to service-account
 * roles is a strict-only idea, so asking for it there is an error rather than ignored.
 */
export function checkStrictOnly(spec: YamlNode, generation: Generation, iam: IamSettings, report: Report): void {
  if (generation.kind !== 'legacy' || !iam.useServiceAccountExternalPermissions) return;
  const node = spec.at('iam', 'useServiceAccountExternalPermissions');
  const message =
    `useServiceAccountExternalPermissions moves addon permissions to service-account roles, which only the scoped (strict) ` +
    `IAM does; this cluster gets legacy IAM (${generation.reason})`;
  report.error('KI411', node, message);
}
