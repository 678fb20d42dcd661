/**
 * A value Terraform knows and kops-iam does not, e.g. the ID of a hosted zone looked up
 * by name. `input` names one of the plan's inputs (a data source or variable) and
 * `attribute` the attribute of it to read.
 */
export interface TerraformRef {
  readonly input: string;
  readonly attribute: string;
}

/** A policy string: plain text, or text with Terraform references spliced in. */
export type PolicyText = string | readonly (string | TerraformRef)[];

/** How a statement treats its actions: IAM's `Allow` or `Deny`. */
export type Effect = 'Allow' | 'Deny';

/**
 * A statement kops-iam writes. Unlike AWS CDK's mutable PolicyStatement builder this is
 * plain immutable data; `origin` says which rule produced it, for the permissions report.
 */
export interface Statement {
  readonly sid: string;
  readonly effect: Effect;
  readonly actions: readonly string[];
  readonly resources: readonly PolicyText[];
  readonly origin: string;
}

/** An IAM policy document: kops-iam's own statements, or the user's statements verbatim. */
export interface PolicyDocument {
  readonly statements: readonly Statement[];
  /** Statements written by the user (additionalPolicies), kept exactly as written. */
  readonly userStatements?: readonly unknown[];
}

/** Resolves a Terraform reference to the text to splice into a policy. */
export type RefResolver = (ref: TerraformRef) => string;

/** Splices references into a policy text. */
export function resolveText(text: PolicyText, resolve: RefResolver): string {
  if (typeof text === 'string') return text;
  return text.map((part) => (typeof part === 'string' ? part : resolve(part))).join('');
}

/** The statement as IAM JSON: single values stay strings, several become lists. */
export function statementJson(s: Statement, resolve: RefResolver): Record<string, unknown> {
  const resources = s.resources.map((r) => resolveText(r, resolve));
  return {
    Sid: s.sid,
    Effect: s.effect,
    Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
    Resource: resources.length === 1 ? resources[0] : resources,
  };
}

/** The document as IAM JSON data, version 2012-10-17. */
export function policyJson(doc: PolicyDocument, resolve: RefResolver): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [...doc.statements.map((s) => statementJson(s, resolve)), ...(doc.userStatements ?? [])],
  };
}

/**
 * Escapes literal text for a Terraform string: `${` and `%{` start templates there, and an
 * IAM policy variable such as `${aws:username}` must reach AWS as written.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}

/**
 * The document as the compact JSON string Terraform's `policy` argument takes. With
 * `terraform` set, literal text is escaped for Terraform and references are spliced in
 * unescaped, so that Terraform resolves them and nothing else.
 */
export function renderPolicy(doc: PolicyDocument, resolve: RefResolver, options: { terraform?: boolean } = {}): string {
  if (options.terraform !== true) return JSON.stringify(policyJson(doc, resolve));
  const spliced: string[] = [];
  const placeholder = (ref: TerraformRef) => {
    spliced.push(resolve(ref));
    return `@@kops-iam-ref-${spliced.length - 1}@@`;
  };
  const json = escapeTerraformTemplate(JSON.stringify(policyJson(doc, placeholder)));
  return json.replace(/@@kops-iam-ref-(\d+)@@/g, (_m, i: string) => spliced[Number(i)] ?? '');
}
