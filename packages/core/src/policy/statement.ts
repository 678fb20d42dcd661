import type { Placed } from '../diagnostics/diagnostic';

/**
 * A value only Terraform knows when the plan is made: the ID of a hosted zone looked up
 * by name (or given as a variable), the ARN of a KMS key found by ID or alias, the ARN of
 * the cluster's OIDC provider, the account's ID. Each kind says what it stands for; the
 * app decides how Terraform spells it.
 */
export type Ref =
  | { readonly kind: 'hosted-zone-id' }
  | { readonly kind: 'kms-key-arn'; readonly lookup: 'key' | 'alias'; readonly id: string }
  | { readonly kind: 'oidc-provider-arn' }
  | { readonly kind: 'account-id' };

/** Text that may hold references: plain text, or parts of text and references in order. */
export type Text = string | readonly (string | Ref)[];

/** How a statement treats its actions: IAM's `Allow` or `Deny`. */
export type Effect = 'Allow' | 'Deny';

/**
 * A list element of a statement (Action, Resource, a principal's or a condition's values).
 * `not` is IAM's NotAction / NotResource; `list` keeps a single value written as a list a list.
 */
export interface Matcher<T> {
  readonly values: readonly T[];
  readonly not?: boolean;
  readonly list?: boolean;
}

/** A condition value: IAM compares strings, but a policy may write numbers and booleans, kept as written. */
export type ConditionValue = string | boolean | { readonly number: string };

/** One `key: value(s)` of a condition operator. */
export interface ConditionEntry {
  readonly key: string;
  readonly values: readonly ConditionValue[];
  /** True when the values are written as a list (even of one). */
  readonly list: boolean;
}

/** One condition operator and its keys, e.g. `StringEquals: {aws:ResourceTag/KubernetesCluster: c}`. */
export interface ConditionBlock {
  readonly operator: string;
  readonly entries: readonly ConditionEntry[];
}

/** Who may assume a role: a service (`ec2.amazonaws.com`) or a federated identity provider (an OIDC provider ARN). */
export type Principal =
  { readonly kind: 'service'; readonly services: readonly string[] } | { readonly kind: 'federated'; readonly provider: Text };

/** Where a statement comes from: a rule of kops' (named after the feature), or a user's policy field. */
export type Origin =
  | { readonly source: 'kops'; readonly rule: string }
  | { readonly source: 'user'; readonly field: UserPolicyField; readonly at: Placed; readonly index: number };

/** The manifest fields users write statements in. */
export type UserPolicyField = 'additionalPolicies' | 'serviceAccountExternalPermissions';

/**
 * One IAM policy statement, with IAM's whole grammar: Sid, Effect, Principal (trust
 * policies only), Action or NotAction, Resource or NotResource (absent in trust
 * policies), Condition. Immutable data, unlike AWS CDK's mutable PolicyStatement builder,
 * so plans can share statements and stay byte-deterministic; `origin` says who wrote it.
 */
export interface Statement {
  readonly sid?: string;
  readonly effect: Effect;
  readonly principal?: Principal;
  readonly action: Matcher<string>;
  readonly resource?: Matcher<Text>;
  readonly condition?: readonly ConditionBlock[];
  readonly origin: Origin;
}

/** An IAM policy document (version 2012-10-17): its statements in order. */
export interface PolicyDocument {
  readonly statements: readonly Statement[];
}

/** Every reference a text holds. */
export function refsOf(text: Text): Ref[] {
  return typeof text === 'string' ? [] : text.filter((p): p is Ref => typeof p !== 'string');
}

/** Joins text and references, merging adjacent plain parts; plain text stays a string. */
export function joinText(...parts: readonly Text[]): Text {
  const out: (string | Ref)[] = [];
  for (const part of parts.flatMap((p) => (typeof p === 'string' ? [p] : p))) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else if (part !== '') out.push(part);
  }
  if (out.length === 0) return '';
  return out.length === 1 && typeof out[0] === 'string' ? out[0] : out;
}
