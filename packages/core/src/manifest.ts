import type { Diagnostics, SourcePosition } from './diagnostics';
import { INSTANCE_GROUP_ROLES, type RoleKind } from './roles';
import type { YamlNode } from './yaml-node';
import { closest } from './edit-distance';
import { ownString } from './own-string';

/** The apiVersions kops prints manifests with. */
export const KOPS_API_VERSIONS = ['kops/v1alpha1', 'kops/v1alpha2', 'kops.k8s.io/v1alpha2'] as const;

/** A Cluster document: `kind: Cluster`, or the bare `metadata` + `spec` form of kops' docs. */
export interface ClusterDocument {
  readonly root: YamlNode;
  readonly name: string;
}

/**
 * An InstanceGroup document, reduced to what decides the roles in use and what messages
 * about it need. It holds no YAML node, so that its document can be freed once read.
 */
export interface InstanceGroupDocument {
  /** Where the document starts. */
  readonly pos: SourcePosition;
  /** The `kops.k8s.io/cluster` label. */
  readonly clusterLabel: ClusterLabel;
  readonly role: RoleKind;
}

/** The `kops.k8s.io/cluster` label of an InstanceGroup, as the messages about it need it. */
export interface ClusterLabel {
  /** True when the label is absent or null. */
  readonly unset: boolean;
  /** The label when it is a string. */
  readonly name: string | undefined;
  /** The label's value as a message shows it. */
  readonly text: string;
  readonly pos: SourcePosition;
  readonly path: string;
}

/** A classified document: a Cluster, an InstanceGroup, or nothing (reported, or ignored). */
export type Manifest = { readonly kind: 'Cluster'; readonly cluster: ClusterDocument } | { readonly kind: 'InstanceGroup'; readonly instanceGroup: InstanceGroupDocument } | undefined;

/** kops requires a fully-qualified DNS name: lower case, at least one dot. */
const CLUSTER_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Sorts documents into Clusters and InstanceGroups one at a time, reporting anything
 * else that cannot be one, and clusters defined twice.
 */
export class ManifestClassifier {
  // Positions only: a YAML node here would keep its whole document alive.
  private readonly names = new Map<string, SourcePosition>();

  constructor(private readonly diagnostics: Diagnostics) {}

  /** What a document's root is; diagnostics for anything that is neither. */
  classify(root: YamlNode): Manifest {
    const diagnostics = this.diagnostics;
    if (root.kind !== 'map') {
      const found = root.kind === 'seq' ? 'a list' : `the ${typeof root.scalar()} ${JSON.stringify(root.scalar())}`;
      diagnostics.error(root.pos, root.path, `a document must be a mapping (a kops Cluster or InstanceGroup manifest), found ${found}`);
      return undefined;
    }
    const kind = documentKind(root, diagnostics);
    if (kind === 'Cluster') {
      const name = clusterName(root, diagnostics);
      if (name === undefined) return undefined;
      const seen = this.names.get(name);
      if (seen !== undefined) {
        const at = root.at('metadata', 'name');
        diagnostics.error(at.pos, at.path, `cluster '${name}' is defined twice; the first is at ${seen.file}:${seen.line}`);
        return undefined;
      }
      this.names.set(name, root.at('metadata', 'name').pos);
      return { kind, cluster: { root, name } };
    }
    if (kind === 'InstanceGroup') {
      const ig = instanceGroup(root, diagnostics);
      return ig === undefined ? undefined : { kind, instanceGroup: ig };
    }
    return undefined;
  }
}

function documentKind(root: YamlNode, diagnostics: Diagnostics): string | undefined {
  const apiVersion = root.get('apiVersion');
  const kind = root.get('kind');
  if (apiVersion.unset && kind.unset) {
    if (root.get('metadata').present && root.get('spec').present) return 'Cluster';
    diagnostics.error(root.pos, root.path, 'not a kops manifest: expected apiVersion and kind, or the bare metadata + spec form of a Cluster');
    return undefined;
  }
  const version = apiVersion.string();
  if (version === undefined || !(KOPS_API_VERSIONS as readonly string[]).includes(version)) {
    const found = apiVersion.unset ? 'no apiVersion' : `apiVersion ${JSON.stringify(apiVersion.scalar() ?? null)}`;
    diagnostics.error(apiVersion.pos, apiVersion.path, `${found}; kops-iam reads ${KOPS_API_VERSIONS.join(', ')}`);
    return undefined;
  }
  const k = kind.string();
  if (k === 'Cluster' || k === 'InstanceGroup') return k;
  if (k === undefined) {
    diagnostics.error(kind.pos, kind.path, 'missing kind; expected Cluster or InstanceGroup');
    return undefined;
  }
  const guess = closest(k, ['Cluster', 'InstanceGroup']);
  if (guess !== undefined) diagnostics.error(kind.pos, kind.path, `unknown kind '${k}'; did you mean '${guess}'?`);
  else diagnostics.warning(kind.pos, kind.path, `ignored: kops-iam reads Cluster and InstanceGroup documents, not ${k}`);
  return undefined;
}

function clusterName(root: YamlNode, diagnostics: Diagnostics): string | undefined {
  const node = root.at('metadata', 'name');
  const name = node.string();
  if (node.unset || name === undefined || name === '') {
    diagnostics.error(node.pos, node.path, 'a cluster needs a name: a fully-qualified DNS name such as mycluster.example.com');
    return undefined;
  }
  if (/\$\{?[A-Z_]+\}?/.test(name)) {
    diagnostics.error(node.pos, node.path, `'${name}' is a shell variable that was never substituted; write the cluster's name, e.g. mycluster.example.com`);
    return undefined;
  }
  if (!CLUSTER_NAME.test(name)) {
    const why = name !== name.toLowerCase() ? 'use lower case' : !name.includes('.') ? 'it needs a dot, e.g. mycluster.example.com (or mycluster.k8s.local for gossip)' : 'letters, digits, hyphens and dots only';
    diagnostics.error(node.pos, node.path, `'${name}' is not a fully-qualified DNS name: ${why}`);
    return undefined;
  }
  // Kept for every cluster of the input: not a slice of its document's text.
  return ownString(name);
}

function instanceGroup(root: YamlNode, diagnostics: Diagnostics): InstanceGroupDocument | undefined {
  const roleNode = root.at('spec', 'role');
  const value = roleNode.string();
  if (value === undefined) {
    diagnostics.error(roleNode.pos, roleNode.path, 'an InstanceGroup needs spec.role: Master, Node or Bastion');
    return undefined;
  }
  const role = INSTANCE_GROUP_ROLES[value];
  if (role === undefined) {
    const names = Object.keys(INSTANCE_GROUP_ROLES);
    const guess = names.find((r) => r.toLowerCase() === value.toLowerCase()) ?? closest(value, names) ?? closest(value.replace(/s$/i, ''), names);
    const hint = guess !== undefined ? `did you mean '${guess}'? ` : '';
    diagnostics.error(roleNode.pos, roleNode.path, `unknown InstanceGroup role '${value}'; ${hint}kops-iam builds IAM for Master (or ControlPlane), Node and Bastion`);
    return undefined;
  }
  const label = root.at('metadata', 'labels', 'kops.k8s.io/cluster');
  return {
    pos: root.pos,
    clusterLabel: { unset: label.unset, name: label.string(), text: String(label.scalar()), pos: label.pos, path: label.path },
    role,
  };
}
