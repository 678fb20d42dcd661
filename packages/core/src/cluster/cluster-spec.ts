import type { Placed } from '../diagnostics/diagnostic';
import type { ActionUse } from '../policy/iam-actions';
import type { AdditionalPolicy } from './additional-policies';
import type { CustomRole } from './custom-policies';
import type { ExternalPolicies } from './external-policies';
import type { ClusterFeatures } from './features';
import type { Generation } from './generation';
import type { HostedZone } from './hosted-zone';
import type { IamSettings } from './iam-settings';
import type { KmsKey } from './kms';
import type { ClusterRegion } from './region';
import type { InstanceRoleKind } from './roles';
import type { ServiceAccountIssuer } from './service-account-issuer';
import type { StateStoreLocation } from './state-store';

/**
 * A Cluster document, read and checked: everything its IAM is built from except its
 * InstanceGroups. Plain data with positions, no YAML node, so that the document can be
 * let go as soon as it is read.
 */
export interface ClusterSpec extends ClusterRegion {
  readonly name: string;
  /** Where `metadata.name` is written, for messages about the cluster as a whole. */
  readonly at: Placed;
  readonly generation: Generation;
  readonly hostedZone: HostedZone;
  readonly etcdKmsKeys: readonly KmsKey[];
  /** configBase, keyStore, secretStore (and configStore for the legacy generation), parents absorbing children. */
  readonly stateStores: readonly StateStoreLocation[];
  /** Where etcd-manager writes backups: each etcd cluster's backupStore, or kops' default under configBase. */
  readonly backupStores: readonly StateStoreLocation[];
  readonly additionalPolicies: ReadonlyMap<InstanceRoleKind, AdditionalPolicy>;
  readonly customRoles: ReadonlyMap<InstanceRoleKind, CustomRole>;
  readonly externalPolicies: ReadonlyMap<InstanceRoleKind, ExternalPolicies>;
  readonly iam: IamSettings;
  readonly cloudLabels: readonly (readonly [string, string])[];
  readonly issuer?: ServiceAccountIssuer;
  readonly features: ClusterFeatures;
  /** `spec.topology.bastion` is set: a bastion role is in use even without InstanceGroups. */
  readonly bastionTopology: boolean;
  /** Every action users wrote, to check against AWS's IAM data. */
  readonly actions: readonly ActionUse[];
}
