import type { ClusterModel } from './cluster-model';
import type { Diagnostics } from './diagnostics';
import type { IamPlan } from './plan';
import { policyJson, type TerraformRef } from './policy';

/** AWS's quota for all inline policies of one role together, whitespace not counted. */
export const INLINE_POLICIES_LIMIT = 10_240;

/** The size IAM counts for a policy: its characters less whitespace. */
export function policySize(json: string): number {
  let n = 0;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) n += 1;
  }
  return n;
}

/** The longest value a reference can take: a KMS key ARN in the longest partition and region, or a zone ID. */
function worstCase(ref: TerraformRef): string {
  return ref.attribute === 'zone_id' || ref.attribute === 'value' ? 'Z'.repeat(32) : 'k'.repeat(110);
}

/** Reports roles whose inline policies together exceed AWS's quota, naming the biggest statements. */
export function checkPolicySizes(plan: IamPlan, model: ClusterModel, diagnostics: Diagnostics): void {
  for (const role of plan.roles) {
    const parts = [
      { name: role.policyName, doc: role.policy },
      { name: role.additionalPolicyName, doc: role.additional },
    ].flatMap(({ name, doc }) => (doc === undefined ? [] : [{ name, size: policySize(JSON.stringify(policyJson(doc, worstCase))) }]));
    const total = parts.reduce((n, p) => n + p.size, 0);
    if (total <= INLINE_POLICIES_LIMIT) continue;
    const extra = model.additionalPolicies.get(role.role);
    const biggest = (extra?.statements ?? [])
      .map((s, i) => ({ i, path: s.path, line: s.pos.line, size: policySize(JSON.stringify(role.additional?.userStatements?.[i] ?? null)) }))
      .sort((a, b) => b.size - a.size || a.i - b.i)
      .slice(0, 3)
      .map((s) => `${s.path} (line ${s.line}, ${n(s.size)} characters)`);
    const message =
      `role ${role.roleName}: its inline policies total ${n(total)} characters without whitespace ` +
      `(${parts.map((p) => `${p.name} ${n(p.size)}`).join(' + ')}); AWS allows ${n(INLINE_POLICIES_LIMIT)} per role, ${n(total - INLINE_POLICIES_LIMIT)} too many` +
      (biggest.length > 0 ? `; biggest statements: ${biggest.join(', ')}` : '') +
      '; shrink them (wildcards in Action or Resource) or attach a managed policy to the role outside kops-iam';
    diagnostics.error(extra?.pos ?? model.pos, extra?.path ?? 'metadata.name', message);
  }
}

/** A count with thousands separators, independent of the machine's locale. */
function n(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
