import type { Report } from '../diagnostics/report';
import { checkArnPartition, parseArn } from '../cluster/arn';
import type { ClusterSpec } from '../cluster/cluster-spec';
import { rolePlural, type InstanceRoleKind } from '../cluster/roles';
import type { InstanceGroupSpec } from './instance-group';
import { instanceRoleName } from '../plan/iam-names';

/**
 * The existing instance profiles of a cluster's InstanceGroups (`spec.iam.profile`): in
 * the cluster's partition, one role per profile (kops refuses a profile shared by two
 * roles), and the policies of a role that only existing profiles use are warned about:
 * kops ignores them, as kops-iam does.
 */
export function checkGroupProfiles(spec: ClusterSpec, groups: readonly InstanceGroupSpec[], report: Report): void {
  const roleOfProfile = new Map<string, InstanceRoleKind>();
  for (const g of groups) {
    if (g.profile === undefined) continue;
    const arn = parseArn(g.profile.arn);
    if (arn !== undefined) {
      checkArnPartition(arn.partition, g.profile.arn, spec.partition, g.profile.at, report, 'KI407');
      if (!/^\d{12}$/.test(arn.account)) {
        const message = `the account in the ARN must be 12 digits, found '${arn.account}'`;
        if (spec.partition.knownRegion) report.error('KI407', g.profile.at, message);
        else report.warning('KI407', g.profile.at, `${message}; kept as written (the cluster's region is not in AWS's partition data)`);
      }
    }
    const other = roleOfProfile.get(g.profile.arn);
    if (other !== undefined && other !== g.role) {
      report.error(
        'KI407',
        g.profile.at,
        `instance profile ${g.profile.arn} is used by ${rolePlural(other)} and ${rolePlural(g.role)} groups; kops needs one profile per ` +
          `role`,
      );
    }
    roleOfProfile.set(g.profile.arn, g.role);
  }
  const onlyProfiles = (role: InstanceRoleKind) => {
    const mine = groups.filter((g) => g.role === role);
    const own = instanceRoleName(role, spec.name);
    return mine.length > 0 && mine.every((g) => g.profile !== undefined && !g.profile.arn.endsWith(`/${own}`));
  };
  const ignored = (role: InstanceRoleKind, at: { pos: ClusterSpec['at']['pos']; path: string }, what: string) => {
    if (onlyProfiles(role))
      report.warning(
        'KI113',
        at,
        `ignored: every ${rolePlural(role)} InstanceGroup uses an existing instance profile (spec.iam.profile), so kops-iam creates no ` +
          `role for its ${what}`,
      );
  };
  for (const [role, p] of spec.additionalPolicies) ignored(role, p.at, 'additional policy');
  for (const [role, e] of spec.externalPolicies) ignored(role, e.at, 'policy attachments');
}
