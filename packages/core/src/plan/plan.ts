import type { Placed } from '../diagnostics/diagnostic';
import type { Generation } from '../cluster/generation';
import type { HostedZone } from '../cluster/hosted-zone';
import type { Partition } from '../cluster/partition';
import type { InstanceRoleKind } from '../cluster/roles';
import type { PolicyDocument } from '../policy/statement';

/** Whom a role is for: the instances of an instance role, or the pods of a Kubernetes service account. */
export type RoleSubject =
  | { readonly kind: 'instance'; readonly role: InstanceRoleKind }
  | { readonly kind: 'service-account'; readonly namespace: string; readonly name: string; readonly addon?: string };

/** An inline policy of a role: the role's own (kops') policy, or the `additional.` one of additionalPolicies. */
export interface InlinePolicy {
  readonly kind: 'role' | 'additional';
  /** The IAM policy name, e.g. `masters.<cluster>` or `additional.masters.<cluster>`. */
  readonly name: string;
  readonly document: PolicyDocument;
  /** Where the user wrote it (additional and service-account policies), for messages. */
  readonly at?: Placed;
}

/** A managed policy attached to a role (externalPolicies, a service account's policyARNs). */
export interface PolicyAttachment {
  readonly arn: string;
  readonly source: 'externalPolicies' | 'serviceAccountExternalPermissions';
}

/** A role kops-iam creates and manages. */
export interface ManagedRole {
  readonly type: 'managed';
  readonly subject: RoleSubject;
  /** The IAM role name (kops' name, cut to 64 characters by kops' rule). */
  readonly roleName: string;
  /** Who may assume it: EC2, or a service account's token through the cluster's OIDC issuer. */
  readonly trust: PolicyDocument;
  readonly policies: readonly InlinePolicy[];
  readonly attachments: readonly PolicyAttachment[];
  readonly permissionsBoundary?: string;
  /** The instance profile of an instance role (same name as the role, as kops names it). */
  readonly instanceProfile?: { readonly name: string };
  readonly tags: readonly (readonly [string, string])[];
}

/**
 * An instance role kops-iam does not create: an existing role of `customPolicies` (kops-iam
 * writes its instance profile and outputs), or an existing instance profile of the
 * InstanceGroups' `spec.iam.profile` (kops-iam writes nothing for it, as kops).
 */
export interface ExistingRole {
  readonly type: 'existing';
  readonly subject: { readonly kind: 'instance'; readonly role: InstanceRoleKind };
  readonly existing:
    | {
        readonly kind: 'role';
        readonly roleArn: string;
        readonly roleName: string;
        readonly instanceProfileName: string;
        readonly tags: readonly (readonly [string, string])[];
      }
    | { readonly kind: 'instance-profile'; readonly profileArn: string; readonly profileName: string };
}

/** Every role of a cluster's plan. */
export type RolePlan = ManagedRole | ExistingRole;

/** The cluster's IAM OIDC provider, which lets IAM trust its service-account tokens. */
export interface OidcProviderPlan {
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
  readonly tags: readonly (readonly [string, string])[];
}

/**
 * Everything one cluster's IAM consists of, ready for any infrastructure-as-code engine
 * to render: no engine's names or syntax in it. References (hosted zone, KMS keys, OIDC
 * provider, account) are typed values in the policies' text.
 */
export interface IamPlan {
  readonly cluster: string;
  readonly region: string;
  readonly partition: Partition;
  readonly generation: Generation;
  /** The hosted zone the policies reference (a lookup or a variable when not written as an ID). */
  readonly hostedZone: HostedZone;
  readonly roles: readonly RolePlan[];
  readonly oidcProvider?: OidcProviderPlan;
  /** The issuer as its host and path (without https://), for the issuer output. */
  readonly issuer?: string;
}

/** A stable key for a role subject: `master`, `sa:kube-system/dns-controller`. */
export function subjectKey(subject: RoleSubject): string {
  return subject.kind === 'instance' ? subject.role : `sa:${subject.namespace}/${subject.name}`;
}
