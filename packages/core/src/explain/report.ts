/**
 * The permissions report of `kops-iam explain`: per cluster and role, what the role may
 * do, built from kops-iam's own plan. Plain data: `--format json` prints it as is, and
 * markdown.ts renders it for people. References are spelled by the caller (the app
 * knows how Terraform writes them).
 */
export interface ExplainReport {
  readonly clusters: readonly ClusterExplain[];
}

/** One cluster: where it is, which IAM generation it gets and why, what Terraform must look up, and its roles. */
export interface ClusterExplain {
  readonly cluster: string;
  readonly region: string;
  readonly partition: string;
  readonly generation: { readonly kind: 'legacy' | 'strict'; readonly reason: string };
  /** Values Terraform resolves at plan time (hosted zone, KMS keys, OIDC provider, account), described. */
  readonly inputs: readonly InputExplain[];
  readonly roles: readonly RoleExplain[];
}

/** A value the policies reference but only Terraform knows. */
export interface InputExplain {
  /** How the policies write it, as the engine spells the reference (a Terraform expression). */
  readonly expression: string;
  readonly description: string;
}

/** Where a statement comes from: kops' own policy for the role, or a user's policy field. */
export type StatementSource = 'kops' | 'additionalPolicies' | 'serviceAccountExternalPermissions';

/** One role: whom it is for, its names, and what it may do; an existing role is not described. */
export interface RoleExplain {
  /** `masters`, `nodes`, … for instance roles; `service account <ns>/<name>` for service accounts. */
  readonly plural: string;
  readonly roleName: string;
  /** The instance profile (instance roles); empty for service accounts. */
  readonly instanceProfileName: string;
  /** False for an existing role or instance profile: kops-iam neither creates nor changes it. */
  readonly managed: boolean;
  readonly existing?: { readonly kind: 'role' | 'instance-profile'; readonly arn: string };
  /** Managed policies attached to the role (their permissions are AWS's or the account's). */
  readonly attachments: readonly string[];
  readonly permissionsBoundary?: string;
  /** Who may assume the role. */
  readonly trust: readonly StatementExplain[];
  /** What the role may do per service, wildcards expanded. */
  readonly services: readonly ServiceExplain[];
  readonly statements: readonly StatementExplain[];
}

/** A service's share of a role's permissions. */
export interface ServiceExplain {
  /** The service prefix (`ec2`), or `*` for statements naming every action (`*`, NotAction). */
  readonly service: string;
  readonly allowed: number;
  readonly denied: number;
  /** Actions the service has in AWS's IAM data; 0 when unknown (or for `*`). */
  readonly total: number;
  /** Resources the allowing statements name, in order, without repeats. */
  readonly resources: readonly string[];
  readonly sources: readonly StatementSource[];
  /** Ids of the statements behind this row. */
  readonly statements: readonly string[];
}

/** One statement of a role's policies. */
export interface StatementExplain {
  readonly source: StatementSource;
  /** The statement's Sid; else `#n`, its place (1-based) in its policy. */
  readonly id: string;
  /** For kops' statements: the feature that adds it (`etcd-manager`, `ebs-csi-driver`, `route53`, …). */
  readonly origin?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly notAction: boolean;
  readonly actions: readonly ActionExplain[];
  readonly notResource: boolean;
  readonly resources: readonly string[];
  /** Who the statement lets in (trust policies). */
  readonly principal?: string;
  /** The conditions, one readable line each: `StringEquals aws:ResourceTag/KubernetesCluster = c`. */
  readonly conditions?: readonly string[];
}

/** An action pattern and how many AWS actions it stands for. */
export interface ActionExplain {
  readonly pattern: string;
  /** AWS actions the pattern matches; `*` alone counts as every action of every service (-1). */
  readonly matches: number;
  /** Actions of the pattern's service; 0 for an unknown service or for `*`. */
  readonly serviceTotal: number;
}
