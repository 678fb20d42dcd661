import type { Report } from '../diagnostics/report';
import type { ClusterSpec } from '../cluster/cluster-spec';
import type { IamPlan } from './plan';
import { subjectKey } from './plan';

/**
 * Two roles of a plan may not share a name (IAM names are unique per account): a service
 * account listed in the spec that kops already gives a role to, or two that kops' naming
 * makes equal (namespaces `team-*` and `team-wildcard`), are reported where written.
 */
export function checkPlanNames(plan: IamPlan, spec: ClusterSpec, report: Report): void {
  const seen = new Map<string, string>();
  for (const role of plan.roles) {
    if (role.type !== 'managed') continue;
    const key = subjectKey(role.subject);
    const first = seen.get(role.roleName);
    if (first === undefined) {
      seen.set(role.roleName, key);
      continue;
    }
    const subject = role.subject;
    const listed =
      subject.kind === 'service-account'
        ? spec.iam.serviceAccounts.find((s) => s.namespace === subject.namespace && s.name === subject.name)
        : undefined;
    const why = first === key ? 'kops already gives this service account a role' : `the role of ${first} has the same name`;
    report.error('KI408', listed?.at ?? spec.at, `role ${role.roleName} of ${key}: ${why}; IAM role names are unique`);
  }
}
