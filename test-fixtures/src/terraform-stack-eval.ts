import { asGoString, evaluateTemplate, parseTemplate, TemplateError } from './terraform-eval';

/**
 * A synthesized stack (`cdk.tf.json`) as Terraform reads it: every string of its
 * providers, data sources, resources and outputs (object keys too, as HCL's JSON syntax
 * takes them) evaluated as a template. References become placeholders that say what they
 * stand for, computed from the referenced element's own (evaluated) arguments:
 * `⟦zone⟧`, `⟦kms:<key id or alias>⟧`, `⟦oidc⟧`, `⟦account⟧`, a role's or profile's
 * name for `.name`, `⟦arn:<type>.<label>⟧` for `.arn`. The brackets are private-use
 * characters no generated input holds, so a manifest cannot forge a placeholder.
 */
export const OPEN = '\u{F0000}';
export const CLOSE = '\u{F0001}';
export const placeholder = (what: string): string => `${OPEN}${what}${CLOSE}`;

/** The interpolations of string literals kops-iam itself writes (escapes of `$` and `{`). */
const ESCAPE_LITERALS = new Set(['"$"', '"{"']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Blocks = Record<string, Record<string, Record<string, Json>>>;

/** A stack's JSON as written, with its strings as Terraform evaluates them. */
export interface EvaluatedStack {
  readonly raw: Record<string, Json>;
  readonly data: Blocks;
  readonly resource: Blocks;
  readonly output: Record<string, Json>;
  readonly provider: Json;
  /** The references the stack declares, by traversal, and what each evaluates to. */
  readonly refs: ReadonlyMap<string, string>;
  /** Strings that are no valid template, or hold an interpolation kops-iam never writes: `<json path>: <why>`. */
  readonly problems: readonly string[];
}

/** Parses a `cdk.tf.json` text as Terraform would (Go's string decoding) and evaluates it. */
export function evaluateStackText(text: string): EvaluatedStack {
  return evaluateStack(goStrings(JSON.parse(text) as Json) as Record<string, Json>);
}

function goStrings(v: Json): Json {
  if (typeof v === 'string') return asGoString(v);
  if (Array.isArray(v)) return v.map(goStrings);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [asGoString(k), goStrings(x)]));
}

/** Evaluates a stack's JSON: data sources first (references point into them), then resources, outputs and providers. */
export function evaluateStack(raw: Record<string, Json>): EvaluatedStack {
  const problems: string[] = [];
  const refs = new Map<string, string>();
  const evalIn = (path: string) => (v: Json) => evaluateValue(v, path, (t) => refs.get(t), problems);
  const data = evalBlocks(raw.data, 'data', evalIn);
  for (const [type, byLabel] of Object.entries(data))
    for (const [label, args] of Object.entries(byLabel)) dataRefs(type, label, args, refs);
  for (const name of Object.keys((raw.variable ?? {}) as object))
    refs.set(`var.${name}`, placeholder(name === 'hosted_zone_id' ? 'zone' : `var.${name}`));
  const rawResources = (raw.resource ?? {}) as Blocks;
  for (const [type, byLabel] of Object.entries(rawResources))
    for (const [label, args] of Object.entries(byLabel))
      resourceRefs(type, label, args, refs, (v) => evaluateValue(v, '', (t) => refs.get(t), []));
  const resource = evalBlocks(raw.resource, 'resource', evalIn);
  const output = evalIn('output')((raw.output ?? {}) as Json) as Record<string, Json>;
  const provider = evalIn('provider')((raw.provider ?? {}) as Json);
  return { raw, data, resource, output, provider, refs, problems };
}

function evalBlocks(blocks: Json | undefined, path: string, evalIn: (path: string) => (v: Json) => Json): Blocks {
  const out: Blocks = {};
  for (const [type, byLabel] of Object.entries((blocks ?? {}) as Blocks)) {
    out[type] = {};
    for (const [label, args] of Object.entries(byLabel))
      (out[type] as Record<string, Record<string, Json>>)[label] = evalIn(`${path}.${type}.${label}`)(args) as Record<string, Json>;
  }
  return out;
}

function dataRefs(type: string, label: string, args: Record<string, Json>, refs: Map<string, string>): void {
  const at = `data.${type}.${label}`;
  if (type === 'aws_route53_zone') refs.set(`${at}.zone_id`, placeholder('zone'));
  if (type === 'aws_kms_key') refs.set(`${at}.arn`, placeholder(`kms:${String(args.key_id)}`));
  if (type === 'aws_kms_alias') refs.set(`${at}.target_key_arn`, placeholder(`kms:${String(args.name)}`));
  if (type === 'aws_caller_identity') refs.set(`${at}.account_id`, placeholder('account'));
}

/** `.name` of a role or profile is its evaluated name (whose own text refers to nothing); `.arn` a placeholder. */
function resourceRefs(
  type: string,
  label: string,
  args: Record<string, Json>,
  refs: Map<string, string>,
  evalArgs: (v: Json) => Json,
): void {
  const at = `${type}.${label}`;
  if (type === 'aws_iam_openid_connect_provider') refs.set(`${at}.arn`, placeholder('oidc'));
  if (type === 'aws_iam_role' || type === 'aws_iam_instance_profile') {
    refs.set(`${at}.arn`, placeholder(`arn:${at}`));
    const name = evalArgs({ name: args.name ?? null }) as { name: Json };
    if (typeof name.name === 'string') refs.set(`${at}.name`, name.name);
  }
}

/** Evaluates every string (and object key) of a value; a string that fails is kept as written and reported. */
function evaluateValue(v: Json, path: string, resolve: (t: string) => string | undefined, problems: string[]): Json {
  if (typeof v === 'string') return evaluateString(v, path, resolve, problems);
  if (Array.isArray(v)) return v.map((x, i) => evaluateValue(x, `${path}[${i}]`, resolve, problems));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = evaluateString(k, `${path} key ${JSON.stringify(k)}`, resolve, problems);
    Object.defineProperty(out, key, { value: evaluateValue(x, `${path}.${k}`, resolve, problems), enumerable: true, writable: true });
  }
  return out;
}

function evaluateString(s: string, path: string, resolve: (t: string) => string | undefined, problems: string[]): string {
  try {
    for (const p of parseTemplate(s))
      if (p.kind === 'string' && !ESCAPE_LITERALS.has(p.source))
        problems.push(`${path}: an interpolation \${${p.source}} kops-iam never writes`);
    return evaluateTemplate(s, resolve);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    problems.push(`${path}: ${e.message} in ${JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}…` : s)}`);
    return s;
  }
}

/** Every string of a JSON value (keys included), for searches. */
export function stringsOf(v: Json | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringsOf);
  if (v === null || v === undefined || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [k, ...stringsOf(x)]);
}

export type { Json };
