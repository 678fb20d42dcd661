import type { IamPlan } from './plan';
import type { Ref, Statement } from '../policy/statement';

/** The references a plan's policies hold, in the order first met, without repeats. */
export function planRefs(plan: IamPlan): Ref[] {
  const seen = new Map<string, Ref>();
  const add = (ref: Ref) => seen.set(JSON.stringify(ref), ref);
  for (const role of plan.roles) {
    if (role.type !== 'managed') continue;
    const docs = [role.trust, ...role.policies.map((p) => p.document)];
    for (const d of docs) for (const s of d.statements) for (const ref of statementRefs(s)) add(ref);
  }
  return [...seen.values()];
}

function statementRefs(s: Statement): Ref[] {
  const texts = [...(s.resource?.values ?? []), ...(s.principal?.kind === 'federated' ? [s.principal.provider] : [])];
  return texts.flatMap((t) => (typeof t === 'string' ? [] : t.filter((p): p is Ref => typeof p !== 'string')));
}
