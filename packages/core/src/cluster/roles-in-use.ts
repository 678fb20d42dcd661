import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { InstanceGroupSpec } from '../manifest/instance-group';
import type { ClusterSpec } from './cluster-spec';
import { INSTANCE_ROLES, rolePlural, type InstanceRoleKind } from './roles';

/**
 * The roles a cluster uses, in kops-iam's order: those of its InstanceGroups, or without
 * any, the control plane and nodes, and bastions when the spec asks for them (a bastion
 * topology, or policies for bastions). With InstanceGroups, policies of a role none of
 * them has are warned about: they would create nothing.
 */
export function rolesInUse(spec: ClusterSpec, groups: readonly InstanceGroupSpec[], report: Report): InstanceRoleKind[] {
  if (groups.length === 0) {
    const bastion = spec.bastionTopology || spec.additionalPolicies.has('bastion') || spec.customRoles.has('bastion');
    return INSTANCE_ROLES.filter((r) => r === 'master' || r === 'node' || (r === 'bastion' && bastion));
  }
  const used = new Set(groups.map((g) => g.role));
  const unused = (role: InstanceRoleKind, at: Placed, what: string) => {
    if (!used.has(role))
      report.warning(
        'KI113',
        at,
        `ignored: no InstanceGroup of this cluster has the ${rolePlural(role)} role, so its ${what} is not created`,
      );
  };
  for (const [role, p] of spec.additionalPolicies) unused(role, p.at, 'additional policy');
  for (const [role, c] of spec.customRoles) unused(role, c.at, 'instance profile');
  for (const [role, e] of spec.externalPolicies) unused(role, e.at, 'policy attachments');
  return INSTANCE_ROLES.filter((r) => used.has(r));
}
