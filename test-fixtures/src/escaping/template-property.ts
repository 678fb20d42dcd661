import type { Ref } from '@kops-iam/core';
// The app's escaper itself (not exported from its index): every manifest string goes through it.
import { terraformTemplate } from 'kops-iam/dist/terraform-template';
import { hostileString, TEMPLATE_ATOMS } from '../hostile-strings';
import { chance, int, pick, prng } from '../prng';
import { evaluatorValue } from './cross-check';
import { asGoString } from '../terraform-eval';
import { placeholder } from '../terraform-stack-eval';

/** References of every kind, and how a stack spells them (as terraform-names.ts does). */
const REFS: readonly { ref: Ref; expr: string; value: string }[] = [
  { ref: { kind: 'hosted-zone-id' }, expr: 'data.aws_route53_zone.dns-x.zone_id', value: placeholder('zone') },
  {
    ref: { kind: 'kms-key-arn', lookup: 'alias', id: 'alias/k' },
    expr: 'data.aws_kms_alias.etcd-x.target_key_arn',
    value: placeholder('kms'),
  },
  { ref: { kind: 'oidc-provider-arn' }, expr: 'aws_iam_openid_connect_provider.x.arn', value: placeholder('oidc') },
  { ref: { kind: 'account-id' }, expr: 'data.aws_caller_identity.current.account_id', value: placeholder('account') },
];

const spell = (ref: Ref): string =>
  `\${${(REFS.find((r) => JSON.stringify(r.ref) === JSON.stringify(ref)) as (typeof REFS)[number]).expr}}`;

/** The references' values by traversal, for the evaluator and terraform. */
export const TEMPLATE_REFS: ReadonlyMap<string, string> = new Map(REFS.map((r) => [r.expr, r.value]));

/** One case: parts of text and references, the template the app writes for them, and what it must evaluate to. */
export interface TemplateCase {
  readonly parts: readonly (string | Ref)[];
  readonly template: string;
  readonly expected: string;
}

/** The template terraformTemplate writes for parts, and the value it must have. */
export function templateCase(parts: readonly (string | Ref)[]): TemplateCase {
  const expected = parts
    .map((p) => (typeof p === 'string' ? p : (REFS.find((r) => JSON.stringify(r.ref) === JSON.stringify(p))?.value ?? '')))
    .join('');
  // Lone surrogates are Go's business (they become U+FFFD in any Terraform string), not the escaper's.
  return { parts, template: terraformTemplate(parts, spell), expected: asGoString(expected) };
}

/** Parts lists: text pieces ending in `$` runs and template atoms, references between them. */
export function randomTemplateCases(seed: number, n: number): TemplateCase[] {
  const r = prng(seed);
  return Array.from({ length: n }, () => {
    const parts: (string | Ref)[] = [];
    for (let k = 1 + int(r, 5); k > 0; k -= 1) {
      if (chance(r, 0.35)) parts.push(pick(r, REFS).ref);
      else parts.push(hostileString(r, 4) + (chance(r, 0.3) ? '$'.repeat(1 + int(r, 3)) : ''));
    }
    return templateCase(parts);
  });
}

/** Fixed cases: every template atom alone, after a `$` and before a reference. */
export function fixedTemplateCases(): TemplateCase[] {
  const zone = (REFS[0] as (typeof REFS)[number]).ref;
  return TEMPLATE_ATOMS.flatMap((a) => [[a], [`$${a}`], [a, zone], [`x${a}$`, zone], [`x${a}$$`, zone], [zone, a]]).map(templateCase);
}

/** Cases whose template does not evaluate to the expected text. */
export function wrongTemplates(cases: readonly TemplateCase[]): string[] {
  return cases.flatMap((c) => {
    const got = evaluatorValue(c.template, TEMPLATE_REFS);
    if (got === c.expected) return [];
    const parts = JSON.stringify(c.parts);
    return [`${parts}: written ${JSON.stringify(c.template)}, Terraform reads ${got === undefined ? 'an error' : JSON.stringify(got)}`];
  });
}
