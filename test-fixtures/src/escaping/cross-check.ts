import { asGoString, evaluateTemplate, TemplateError } from '../terraform-eval';
import { evaluateWithTerraform } from '../terraform-templatestring';
import { placeholder } from '../terraform-stack-eval';

/**
 * Templates whose meaning is easy to get wrong: escapes next to escapes, `$` and `%` runs,
 * string literals with escapes inside interpolations, references, directives, strip
 * markers, backslashes (literal in a template), control characters, lone surrogates.
 */
export const TRICKY_TEMPLATES: readonly string[] = [
  'plain',
  'a$${b',
  '$$${b',
  '$$$${b',
  '%%%{x',
  'a$b%c$$d%%e',
  '$',
  '%',
  '$$',
  '%%',
  '}',
  '{',
  'x$',
  'a\\nb\\\\c\\"',
  '${"$"}',
  '${"{"}',
  '${"$"}{TfToken[TOKEN.1]}',
  '$${"$"}{TfToken[TOKEN.1]}',
  '#${"{"}TfToken[TOKEN.1]}',
  'x${"$"}${data.aws_route53_zone.dns-x.zone_id}',
  'x$${"$"}${data.aws_route53_zone.dns-x.zone_id}',
  '${ "a" }',
  '${"a}"}',
  '${"$${"}',
  '${"%%{"}',
  '${"\\u0041\\n\\t\\\\\\""}',
  '${"\\U0001F600"}',
  '${"a"}${"b"}',
  '${data.aws_route53_zone.dns-x.zone_id}',
  'arn:aws:route53:::hostedzone/${var.hosted_zone_id}',
  '${aws_iam_role.masters-x.name}',
  '${var.nope}',
  '${foo}',
  '${',
  '${"unclosed}',
  '%{ if true }x%{ endif }',
  '%{if',
  '${~ "a" ~}',
  '${upper("a")}',
  'a\u0000b\u0007c\u001bd\u2028é😀',
  'lone \ud800 surrogate \udc00',
  '${"\ud800"}',
];

/** The references the tricky templates use. */
export const TRICKY_REFS: ReadonlyMap<string, string> = new Map([
  ['data.aws_route53_zone.dns-x.zone_id', placeholder('zone')],
  ['var.hosted_zone_id', placeholder('zone')],
  ['aws_iam_role.masters-x.name', 'masters.x'],
]);

/** What the evaluator makes of a template as Terraform reads it from JSON; undefined when it rejects it. */
export function evaluatorValue(template: string, refs: ReadonlyMap<string, string>): string | undefined {
  try {
    return evaluateTemplate(asGoString(template), (t) => refs.get(t));
  } catch (e) {
    if (e instanceof TemplateError) return undefined;
    throw e;
  }
}

/** The outcome of comparing the evaluator with terraform on a list of templates. */
export interface CrossCheck {
  /** Templates both evaluate to the same value (or both reject). */
  readonly agreed: number;
  /** Templates Terraform takes and the evaluator, stricter on purpose, rejects. */
  readonly stricter: readonly string[];
  /** Disagreements: the evaluator is wrong about Terraform's grammar. */
  readonly disagreements: readonly string[];
}

/** Evaluates templates with terraform and with the evaluator, and compares. */
export async function crossCheck(binary: string, templates: readonly string[], refs: ReadonlyMap<string, string>): Promise<CrossCheck> {
  const unique = [...new Set(templates)];
  const tf = await evaluateWithTerraform(binary, unique, refs);
  let agreed = 0;
  const stricter: string[] = [];
  const disagreements: string[] = [];
  unique.forEach((t, i) => {
    const ours = evaluatorValue(t, refs);
    const theirs = tf[i];
    if (ours === theirs) agreed += 1;
    else if (ours === undefined) stricter.push(t);
    else
      disagreements.push(
        `${JSON.stringify(t)}: evaluator ${JSON.stringify(ours)}, terraform ${theirs === undefined ? 'error' : JSON.stringify(theirs)}`,
      );
  });
  return { agreed, stricter, disagreements };
}
