import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { IamPlan, ManagedRole } from './plan';
import { policySize, policyTextSize, renderPolicyText } from '../policy/render';
import type { Ref, Statement } from '../policy/statement';

/** AWS's quota for all inline policies of one role together, whitespace not counted. */
export const INLINE_POLICIES_LIMIT = 10_240;

/**
 * The longest text a reference can stand for, so that a policy checked here never grows
 * past the quota when Terraform fills it in: a zone ID, the longest KMS key ARN, the
 * cluster's OIDC provider ARN, an account ID.
 */
function worstCase(plan: IamPlan): (ref: Ref) => string {
  return (ref) => {
    switch (ref.kind) {
      case 'hosted-zone-id':
        return 'Z'.repeat(32);
      case 'kms-key-arn':
        return `arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-${'0'.repeat(32)}`;
      case 'oidc-provider-arn':
        return `arn:${plan.partition.name}:iam::123456789012:oidc-provider/${plan.issuer ?? ''}`;
      case 'account-id':
        return '123456789012';
    }
  };
}

/** Reports roles whose inline policies together exceed AWS's quota, naming the biggest statements users wrote. */
export function checkPolicySizes(plan: IamPlan, clusterAt: Placed, report: Report): void {
  const spell = worstCase(plan);
  for (const role of plan.roles) {
    if (role.type !== 'managed') continue;
    const parts = role.policies.map((p) => ({ name: p.name, size: policyTextSize(p.document, spell) }));
    const total = parts.reduce((n, p) => n + p.size, 0);
    if (total > INLINE_POLICIES_LIMIT) report.error('KI317', userPolicyAt(role) ?? clusterAt, sizeMessage(role, parts, total, spell));
  }
}

function userPolicyAt(role: ManagedRole): Placed | undefined {
  return role.policies.find((p) => p.at !== undefined)?.at;
}

function sizeMessage(
  role: ManagedRole,
  parts: readonly { name: string; size: number }[],
  total: number,
  spell: (ref: Ref) => string,
): string {
  const users = role.policies.flatMap((p) => p.document.statements).filter((s) => s.origin.source === 'user');
  const biggest = users
    .map((s) => ({ s, size: policySize(renderPolicyText({ statements: [s] }, spell)) - EMPTY_DOCUMENT_SIZE }))
    .sort((a, b) => b.size - a.size || indexOf(a.s) - indexOf(b.s))
    .slice(0, 3)
    .map(({ s, size }) =>
      s.origin.source === 'user' ? `${s.origin.at.path} (line ${s.origin.at.pos.line}, ${count(size)} characters)` : '',
    );
  return (
    `role ${role.roleName}: its inline policies total ${count(total)} characters without whitespace ` +
    `(${parts.map((p) => `${p.name} ${count(p.size)}`).join(' + ')}); AWS allows ${count(INLINE_POLICIES_LIMIT)} per role, ` +
    `${count(total - INLINE_POLICIES_LIMIT)} too many` +
    (biggest.length > 0 ? `; biggest statements: ${biggest.join(', ')}` : '') +
    '; shrink them (wildcards in Action or Resource) or attach a managed policy to the role outside kops-iam'
  );
}

/** The size of `{"Version":"2012-10-17","Statement":[]}`: what a statement's own size does not include. */
const EMPTY_DOCUMENT_SIZE = policySize(renderPolicyText({ statements: [] }, () => ''));

function indexOf(s: Statement): number {
  return s.origin.source === 'user' ? s.origin.index : 0;
}

/** A count with thousands separators, independent of the machine's locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
