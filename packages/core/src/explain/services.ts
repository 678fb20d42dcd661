import { expandAction, serviceActionCount } from '../policy/iam-actions';
import type { ServiceExplain, StatementExplain, StatementSource } from './report';

/** Per service: the actions allowed and denied by the role's statements, their resources and sources. */
export async function servicesOf(statements: readonly StatementExplain[]): Promise<ServiceExplain[]> {
  interface Acc {
    allowed: Set<string>;
    denied: Set<string>;
    resources: string[];
    sources: Set<StatementSource>;
    statements: string[];
  }
  const byService = new Map<string, Acc>();
  const acc = (service: string): Acc => {
    let a = byService.get(service);
    if (a === undefined) {
      a = { allowed: new Set(), denied: new Set(), resources: [], sources: new Set(), statements: [] };
      byService.set(service, a);
    }
    return a;
  };
  for (const s of statements) {
    // NotAction and `*` reach every service: one `*` row says so instead of guessing a list.
    const groups =
      s.notAction || s.actions.some((a) => a.pattern === '*') ? [['*', ['*']] as const] : groupByService(s.actions.map((a) => a.pattern));
    for (const [service, patterns] of groups) {
      const a = acc(service);
      const names = service === '*' ? ['*'] : (await Promise.all(patterns.map(expandOrKeep))).flat();
      for (const n of names) (s.effect === 'Allow' ? a.allowed : a.denied).add(n.toLowerCase());
      if (s.effect === 'Allow')
        for (const r of s.notResource ? s.resources.map((x) => `not ${x}`) : s.resources) if (!a.resources.includes(r)) a.resources.push(r);
      a.sources.add(s.source);
      if (!a.statements.includes(s.id)) a.statements.push(s.id);
    }
  }
  const out: ServiceExplain[] = [];
  for (const [service, a] of byService) {
    out.push({
      service,
      allowed: a.allowed.size,
      denied: a.denied.size,
      total: service === '*' ? 0 : await serviceActionCount(service),
      resources: a.resources,
      sources: [...a.sources].sort(),
      statements: a.statements,
    });
  }
  return out.sort((x, y) => (x.service < y.service ? -1 : x.service > y.service ? 1 : 0));
}

function groupByService(patterns: readonly string[]): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const p of patterns) {
    const service = p.split(':')[0]?.toLowerCase() ?? '';
    out.set(service, [...(out.get(service) ?? []), p]);
  }
  return [...out];
}

/** The AWS actions a pattern names; a plain action unknown to the data counts as itself. */
async function expandOrKeep(pattern: string): Promise<string[]> {
  if (!/[*?]/.test(pattern)) return [pattern];
  return expandAction(pattern);
}
