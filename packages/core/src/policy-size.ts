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
    const docs = [role.policy, role.additional].filter((d) => d !== undefined);
    const total = docs.reduce((n, d) => n + policySize(JSON.stringify(policyJson(d, worstCase))), 0);
    if (total <= INLINE_POLICIES_LIMIT) continue;
    const extra = model.additionalPolicies.get(role.role);
    const biggest = (extra?.statements ?? [])
      .map((s, i) => ({ i, path: s.path, line: s.pos.line, size: policySize(JSON.stringify(role.additional?.userStatements?.[i] ?? null)) }))
      .sort((a, b) => b.size - a.size || a.i - b.i)
      .slice(0, 3)
      .map((s) => `${s.path} (line ${s.line}, ${s.size.toLocaleString('en-US')})`);
    const at = extra?.node ?? undefined;
    const message =
      `the inline policies of role ${role.roleName} total ${total.toLocaleString('en-US')} characters without whitespace; ` +
      `AWS allows ${INLINE_POLICIES_LIMIT.toLocaleString('en-US')} per role` +
      (biggest.length > 0 ? `; biggest statements: ${biggest.join(', ')}` : '') +
      '; use managed policies or Resource wildcards to shrink it';
    diagnostics.error(at?.pos ?? model.pos, at?.path ?? 'metadata.name', message);
  }
}
