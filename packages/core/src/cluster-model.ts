import { readAdditionalPolicies, type AdditionalPolicy } from './additional-policies';
import { readCustomPolicies, type CustomRole } from './custom-policies';
import type { Diagnostics, SourcePosition } from './diagnostics';
import { checkSpecFieldNames } from './field-names';
import { readHostedZone, type HostedZone } from './hosted-zone';
import type { ActionUse } from './iam-actions';
import { readEtcdKmsKeys, type KmsKey } from './kms';
import type { ClusterDocument } from './manifest';
import { partitionOf, type Partition } from './partition';
import { REGION_PATTERN, regionOfZone } from './region';
import { rolePlural, type RoleKind } from './roles';
import { roleBit, roleSet, rolesOf, type RoleSet } from './role-set';
import { readStateStores, type StateStoreLocation } from './state-store';
import type { YamlNode } from './yaml-node';

/** A cluster as kops-iam understands it: everything the IAM plan is built from, checked. */
export interface ClusterModel {
  readonly name: string;
  /** Where the cluster's name is written, for messages about the cluster as a whole. */
  readonly pos: SourcePosition;
  readonly region: string;
  readonly partition: Partition;
  readonly hostedZone: HostedZone;
  readonly kmsKeys: readonly KmsKey[];
  readonly stateStores: readonly StateStoreLocation[];
  /** The roles in use, in kops' order (master, node, bastion). */
  readonly roles: readonly RoleKind[];
  readonly additionalPolicies: ReadonlyMap<RoleKind, AdditionalPolicy>;
  readonly customRoles: ReadonlyMap<RoleKind, CustomRole>;
}

/**
 * A Cluster document, checked, waiting for its InstanceGroups (which may come later in
 * the input) to decide the roles in use. It holds no YAML node, so that the document can
 * be freed as soon as it is read.
 */
export interface ClusterDraft {
  readonly name: string;
  readonly pos: SourcePosition;
  /** Absent when the cluster has errors. */
  readonly valid?: {
    readonly region: string;
    readonly partition: Partition;
    readonly hostedZone: HostedZone;
    readonly kmsKeys: readonly KmsKey[];
    readonly stateStores: readonly StateStoreLocation[];
  };
  /** Absent when the cluster has no spec mapping: then no role is looked at. */
  readonly roles?: {
    /** `spec.topology.bastion` is set. */
    readonly bastion: boolean;
    readonly additionalPolicies: ReadonlyMap<RoleKind, AdditionalPolicy>;
    readonly customRoles: ReadonlyMap<RoleKind, CustomRole>;
  };
  readonly actions: readonly ActionUse[];
}

/** Validates a Cluster document: everything but the roles in use, which need its InstanceGroups. */
export function readClusterDocument(doc: ClusterDocument, flags: ReadonlyMap<string, boolean>, diagnostics: Diagnostics): ClusterDraft {
  const before = diagnostics.errorCount;
  const spec = doc.root.get('spec');
  const nameNode = doc.root.at('metadata', 'name');
  if (spec.kind !== 'map') {
    const found = spec.unset ? 'none' : spec.kind === 'seq' ? 'a list' : `the scalar ${JSON.stringify(spec.scalar())}`;
    diagnostics.error(spec.pos, spec.path, `a cluster needs a spec mapping (cloudProvider, subnets, ...), found ${found}`);
    return { name: doc.name, pos: nameNode.pos, actions: [] };
  }
  checkSpecFieldNames(spec, diagnostics);
  checkCloudProvider(spec, diagnostics);
  // Without a region the rest is still checked (all problems in one run); only the
  // comparisons against the region's partition are skipped.
  const region = readRegion(spec, diagnostics);
  const partition = region === undefined ? undefined : partitionOf(region.name);
  if (region !== undefined && partition !== undefined && !partition.knownRegion) {
    diagnostics.warning(region.node.pos, region.node.path, `region ${region.name} is not in AWS's partition data; assuming partition '${partition.name}'`);
  }
  const hostedZone = readHostedZone(doc.name, spec, diagnostics);
  const kmsKeys = readEtcdKmsKeys(spec, partition, region?.name, diagnostics);
  const stateStores = readStateStores(spec, diagnostics);
  const additional = readAdditionalPolicies(spec, partition, diagnostics);
  const customRoles = readCustomPolicies(spec, partition, flags, diagnostics);
  for (const [role, custom] of customRoles) {
    const extra = additional.byRole.get(role);
    if (extra !== undefined) {
      diagnostics.error(
        extra.pos,
        extra.path,
        `additionalPolicies.${role} cannot be combined with customPolicies.${role} (${custom.arn}): kops-iam does not manage that role; add the statements to the existing role instead`,
      );
    }
  }
  const roles = { bastion: !spec.at('topology', 'bastion').unset, additionalPolicies: additional.byRole, customRoles };
  // Finding the roles in use adds warnings only, so whether the cluster is valid is known now.
  const valid =
    diagnostics.errorCount > before || region === undefined || partition === undefined ? undefined : { region: region.name, partition, hostedZone, kmsKeys, stateStores };
  return { name: doc.name, pos: nameNode.pos, valid, roles, actions: additional.actions };
}

/** Where something is written, for a message about it. */
export interface Placed {
  readonly pos: SourcePosition;
  readonly path: string;
}

/** What decides a cluster's roles besides its InstanceGroups, with where its policies are written. */
export interface RoleHints {
  /** `spec.topology.bastion` is set. */
  readonly bastion: boolean;
  readonly additional: ReadonlyMap<RoleKind, Placed>;
  readonly custom: ReadonlyMap<RoleKind, Placed>;
}

/** A draft's role hints; absent when it has no spec mapping (then no role is looked at). */
export function roleHints(draft: ClusterDraft): RoleHints | undefined {
  if (draft.roles === undefined) return undefined;
  return { bastion: draft.roles.bastion, additional: draft.roles.additionalPolicies, custom: draft.roles.customRoles };
}

/** A checked cluster's model with the given roles; absent when the cluster has errors. */
export function clusterModel(draft: ClusterDraft, roles: readonly RoleKind[]): ClusterModel | undefined {
  if (draft.roles === undefined || draft.valid === undefined) return undefined;
  const { additionalPolicies, customRoles } = draft.roles;
  return { name: draft.name, pos: draft.pos, ...draft.valid, roles, additionalPolicies, customRoles };
}

/** What decides a cluster's roles besides its InstanceGroups, without positions: kept for every cluster of a large input. */
export interface RoleBits {
  /** `spec.topology.bastion` is set. */
  readonly bastion: boolean;
  /** The roles with additionalPolicies, and with customPolicies. */
  readonly additional: RoleSet;
  readonly custom: RoleSet;
}

/** A draft's role hints as bits. */
export function roleBits(hints: RoleHints): RoleBits {
  return { bastion: hints.bastion, additional: roleSet(hints.additional.keys()), custom: roleSet(hints.custom.keys()) };
}

/**
 * The roles a cluster uses: those of its InstanceGroups, or without any, master and node,
 * and bastion when the spec asks for one (a bastion topology, or policies for bastions).
 */
export function roleSetInUse(hints: RoleBits, groups: RoleSet): RoleSet {
  if (groups !== 0) return groups;
  const bastion = hints.bastion || ((hints.additional | hints.custom) & roleBit('bastion')) !== 0;
  return roleSet(bastion ? ['master', 'node', 'bastion'] : ['master', 'node']);
}

/** True when rolesInUse warns: InstanceGroups exist and some role with a policy has none. */
export function hasUnusedPolicies(hints: RoleBits, groups: RoleSet): boolean {
  return groups !== 0 && ((hints.additional | hints.custom) & ~groups) !== 0;
}

/**
 * The roles a cluster uses (see roleSetInUse), in kops' order. With `diagnostics`, warns
 * about additional and custom policies of roles that no InstanceGroup has.
 */
export function rolesInUse(hints: RoleHints, groups: RoleSet, diagnostics?: Diagnostics): RoleKind[] {
  if (diagnostics !== undefined && groups !== 0) {
    const unused = (role: RoleKind, at: Placed, what: string) =>
      diagnostics.warning(at.pos, at.path, `ignored: no InstanceGroup of this cluster has the ${rolePlural(role)} role, so its ${what} is not created`);
    for (const [role, p] of hints.additional) if ((groups & roleBit(role)) === 0) unused(role, p, 'additional policy');
    for (const [role, c] of hints.custom) if ((groups & roleBit(role)) === 0) unused(role, c, 'instance profile');
  }
  return rolesOf(roleSetInUse(roleBits(hints), groups));
}

function checkCloudProvider(spec: YamlNode, diagnostics: Diagnostics): void {
  const node = spec.get('cloudProvider');
  // kops 1.27+ writes `cloudProvider: {aws: {}}`; older versions the string.
  const name = node.kind === 'map' ? node.entries().map((e) => e.key).join(', ') : node.string();
  if (node.unset) diagnostics.error(node.pos, node.path, 'missing cloudProvider; kops-iam builds IAM for cloudProvider: aws');
  else if (name !== 'aws') diagnostics.error(node.pos, node.path, `cloudProvider is '${name ?? String(node.scalar())}'; kops-iam builds IAM for AWS clusters only (cloudProvider: aws)`);
}

interface Region {
  readonly name: string;
  readonly node: YamlNode;
}

/** The region is that of the zones; v1alpha2 lists them as subnets[].zone, v1alpha1 as zones[].name. */
function readRegion(spec: YamlNode, diagnostics: Diagnostics): Region | undefined {
  const zones: YamlNode[] = [];
  let malformed = false;
  for (const [list, key] of [['subnets', 'zone'], ['zones', 'name']] as const) {
    const node = spec.get(list);
    if (node.unset) continue;
    if (node.kind !== 'seq') {
      diagnostics.error(node.pos, node.path, `must be a list of ${list === 'subnets' ? 'subnets, each with a zone' : 'zones, each with a name'}`);
      malformed = true;
      continue;
    }
    for (const item of node.items()) {
      const zone = item.get(key);
      if (!zone.unset) zones.push(zone);
      else {
        diagnostics.error(zone.pos, zone.path, `missing ${key}: the availability zone, e.g. eu-central-1a`);
        malformed = true;
      }
    }
  }
  if (zones.length === 0) {
    if (!malformed) diagnostics.error(spec.pos, spec.path, 'no availability zone: add spec.subnets with a zone (kops v1alpha2) or spec.zones (v1alpha1); the region comes from them');
    return undefined;
  }
  let first: Region | undefined;
  for (const zone of zones) {
    const text = zone.string() ?? String(zone.scalar());
    const region = regionOfZone(text);
    if (region === undefined || !REGION_PATTERN.test(region)) {
      diagnostics.error(zone.pos, zone.path, `'${text}' is not an availability zone such as eu-central-1a`);
      continue;
    }
    if (first === undefined) first = { name: region, node: zone };
    else if (region !== first.name) {
      diagnostics.error(zone.pos, zone.path, `zone ${text} is in region ${region}, but ${first.node.path} puts the cluster in ${first.name}; all zones must share one region`);
    }
  }
  return first;
}
