/**
 * The IAM facts the parity comparison reads, in one shape for both sides: kops' (from a
 * reference case's expected.json, already in this shape) and kops-iam's (read here from the
 * Terraform JSON that `kops-iam synth` writes).
 */

/** A role a policy, profile or attachment belongs to: by Terraform label, or by IAM name (a role not created here). */
export interface RoleRef {
  readonly res?: string;
  readonly name?: string;
}

/** A policy document as JSON, or why it could not be read. */
export type DocOrError = unknown;

export interface RoleFact {
  readonly res: string;
  readonly name: string;
  readonly trust: DocOrError;
  readonly boundary?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface IamFacts {
  readonly roles: readonly RoleFact[];
  readonly policies: readonly { readonly name: string; readonly role: RoleRef; readonly doc: DocOrError }[];
  readonly profiles: readonly { readonly name: string; readonly role: RoleRef }[];
  readonly attachments: readonly { readonly role: RoleRef; readonly arn: string }[];
  readonly oidc: readonly { readonly url: string; readonly clientIds: readonly string[]; readonly thumbprints: readonly string[] }[];
  readonly problems: readonly string[];
}

/** `x` as a list: a scalar is a list of one, absent is empty (IAM's "string or list"). */
export function listOf(x: unknown): unknown[] {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A document that could not be read: the comparison reports it instead of comparing it. */
export function docError(doc: unknown): string | undefined {
  return isRecord(doc) && typeof doc.error === 'string' && doc.Statement === undefined ? doc.error : undefined;
}

type Block = Record<string, Record<string, unknown>>;

/** The IAM resource types the comparison reads; any other `aws_iam_*` type is a note. */
const READ_TYPES = new Set([
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_instance_profile',
  'aws_iam_role_policy_attachment',
  'aws_iam_openid_connect_provider',
]);

/** `${aws_iam_role.<label>.name}` → the role by label; anything else names a role not created here. */
function roleRef(value: unknown): RoleRef {
  const m = typeof value === 'string' ? /^\$\{aws_iam_role\.([^.}]+)\.(?:name|id)\}$/.exec(value) : null;
  if (m !== null) return { res: m[1] };
  return { name: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** A policy attribute: kops-iam writes documents as JSON strings. */
function policyDoc(value: unknown, what: string): DocOrError {
  if (typeof value !== 'string') return { error: `${what}: not a JSON string` };
  try {
    return JSON.parse(value) as unknown;
  } catch (e) {
    return { error: `${what}: not JSON (${(e as Error).message}): ${value.slice(0, 80)}` };
  }
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : JSON.stringify(x);
}

/** The IAM facts of one stack of kops-iam's Terraform JSON (`cdk.tf.json`). */
export function kopsIamFacts(tf: Record<string, unknown>): IamFacts {
  const resources = (isRecord(tf.resource) ? tf.resource : {}) as Record<string, Block>;
  const of = (type: string): [string, Record<string, unknown>][] => Object.entries(resources[type] ?? {});
  const roles = of('aws_iam_role').map(([res, a]) => ({
    res,
    name: str(a.name),
    trust: policyDoc(a.assume_role_policy, `role ${res} trust`),
    ...(typeof a.permissions_boundary === 'string' ? { boundary: a.permissions_boundary } : {}),
    tags: (isRecord(a.tags) ? a.tags : {}) as Record<string, string>,
  }));
  // A role's own inline_policy and managed_policy_arns blocks count like the separate resources.
  const onRoles = of('aws_iam_role');
  const inline = onRoles.flatMap(([res, a]) =>
    listOf(a.inline_policy).map((p) => ({
      name: str(isRecord(p) ? p.name : p),
      role: { res },
      doc: policyDoc(isRecord(p) ? p.policy : p, `role ${res} inline_policy`),
    })),
  );
  const managed = onRoles.flatMap(([res, a]) => listOf(a.managed_policy_arns).map((arn) => ({ role: { res }, arn: str(arn) })));
  return {
    roles,
    policies: [
      ...of('aws_iam_role_policy').map(([res, a]) => ({
        name: str(a.name),
        role: roleRef(a.role),
        doc: policyDoc(a.policy, `policy ${res}`),
      })),
      ...inline,
    ],
    profiles: of('aws_iam_instance_profile').map(([, a]) => ({ name: str(a.name), role: roleRef(a.role) })),
    attachments: [...of('aws_iam_role_policy_attachment').map(([, a]) => ({ role: roleRef(a.role), arn: str(a.policy_arn) })), ...managed],
    oidc: of('aws_iam_openid_connect_provider').map(([, a]) => ({
      url: str(a.url),
      clientIds: listOf(a.client_id_list).map(str),
      thumbprints: listOf(a.thumbprint_list).map(str),
    })),
    problems: Object.keys(resources)
      .filter((type) => type.startsWith('aws_iam_') && !READ_TYPES.has(type))
      .map((type) => `resource type ${type} not compared`),
  };
}

/** kops' facts of a reference case (expected.json's `iam`), with absent lists as empty. */
export function expectedFacts(iam: Partial<IamFacts>): IamFacts {
  return {
    roles: iam.roles ?? [],
    policies: iam.policies ?? [],
    profiles: iam.profiles ?? [],
    attachments: iam.attachments ?? [],
    oidc: iam.oidc ?? [],
    problems: iam.problems ?? [],
  };
}
