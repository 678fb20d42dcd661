import type { EvaluatedStack, Json } from '../terraform-stack-eval';

/** An IAM statement as a written policy holds it, after evaluation and JSON parsing. */
export interface Statement {
  readonly Sid?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of every inline policy whose name starts with `prefix` (unparsable policies give none). */
export function policyStatements(stack: EvaluatedStack, prefix: string): Statement[] {
  return Object.values(stack.resource.aws_iam_role_policy ?? {})
    .filter((p) => String(p.name).startsWith(prefix))
    .flatMap((p) => {
      try {
        return (JSON.parse(String(p.policy)) as { Statement: Statement[] }).Statement;
      } catch {
        return [];
      }
    });
}

/** Every Resource of the policies whose name starts with `prefix`. */
export function policyResources(stack: EvaluatedStack, prefix: string): string[] {
  return policyStatements(stack, prefix).flatMap((s) =>
    s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource],
  );
}

/** The arguments of every role. */
export function roleArgs(stack: EvaluatedStack): Record<string, Json>[] {
  return Object.values(stack.resource.aws_iam_role ?? {});
}

/** The ARNs of every policy attachment. */
export function attachmentArns(stack: EvaluatedStack): Json[] {
  return Object.values(stack.resource.aws_iam_role_policy_attachment ?? {}).map((a) => a.policy_arn ?? null);
}

/** The value of every output. */
export function outputValues(stack: EvaluatedStack): Json[] {
  return Object.values(stack.output).map((o) => (o as { value?: Json }).value ?? null);
}

/** The OIDC provider's arguments, when there is one. */
export function oidcProvider(stack: EvaluatedStack): Record<string, Json> | undefined {
  return Object.values(stack.resource.aws_iam_openid_connect_provider ?? {})[0];
}

/** The arguments of every data source of a type. */
export function dataSources(stack: EvaluatedStack, type: string): Record<string, Json>[] {
  return Object.values(stack.data[type] ?? {});
}
