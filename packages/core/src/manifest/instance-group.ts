import type { Placed } from '../diagnostics/diagnostic';
import { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { INSTANCE_GROUP_ROLES, type InstanceRoleKind } from '../cluster/roles';
import { closest } from '../util/edit-distance';
import { checkIamArn } from '../cluster/arn';
import { readBoolean } from '../cluster/scalars';
import { warmPoolOf, type WarmPoolSetting } from '../cluster/warm-pool';

/** The `kops.k8s.io/cluster` label of an InstanceGroup, as the messages about it need it. */
export interface ClusterLabel {
  /** The label when it is a string; undefined when absent or null (`unset`) or not a string. */
  readonly name: string | undefined;
  readonly unset: boolean;
  /** The label's value as a message shows it. */
  readonly text: string;
  readonly at: Placed;
}

/**
 * An InstanceGroup, reduced to what decides its cluster's IAM: it holds no YAML node, so
 * its document can be let go as soon as it is read.
 */
export interface InstanceGroupSpec {
  readonly name: string;
  /** Where the document starts, for messages about the group as a whole. */
  readonly at: Placed;
  readonly role: InstanceRoleKind;
  readonly clusterLabel: ClusterLabel;
  /** `spec.iam.profile`: an existing instance profile; kops creates no IAM for the group's role. */
  readonly profile?: { readonly arn: string; readonly at: Placed };
  /** `spec.manager: Karpenter`: the group's nodes are launched by Karpenter. */
  readonly karpenter: boolean;
  readonly warmPool?: WarmPoolSetting;
  /** `spec.containerd.nvidiaGPU.enabled`. */
  readonly nvidiaGpu: boolean;
  /** `spec.rootVolumeEncryption: true` with a `rootVolumeEncryptionKey`: a customer managed key encrypts the root volume. */
  readonly rootVolumeKey: boolean;
}

const ROLE_NAMES = [...INSTANCE_GROUP_ROLES.keys()];

/** Reads an InstanceGroup document; undefined (reported) when its role is missing or unknown. */
export function readInstanceGroup(root: YamlNode, report: Report): InstanceGroupSpec | undefined {
  const roleNode = root.at('spec', 'role');
  const value = roleNode.string();
  const role = value === undefined ? undefined : INSTANCE_GROUP_ROLES.get(value);
  if (role === undefined) {
    report.error('KI108', roleNode, roleMessage(value));
    return undefined;
  }
  const spec = root.get('spec');
  const label = root.at('metadata', 'labels', 'kops.k8s.io/cluster');
  const profile = spec.at('iam', 'profile');
  const profileArn = readProfile(profile, report);
  return {
    name: root.at('metadata', 'name').string() ?? '',
    at: { pos: root.pos, path: '' },
    role,
    clusterLabel: {
      unset: label.unset,
      name: label.string(),
      text: label.text() ?? String(label.scalar()),
      at: { pos: label.pos, path: label.path },
    },
    ...(profileArn !== undefined ? { profile: { arn: profileArn, at: { pos: profile.pos, path: profile.path } } } : {}),
    karpenter: spec.get('manager').string() === 'Karpenter',
    ...warmPoolOf(spec.get('warmPool'), report),
    nvidiaGpu: readBoolean(spec.at('containerd', 'nvidiaGPU', 'enabled'), report) === true,
    rootVolumeKey:
      readBoolean(spec.get('rootVolumeEncryption'), report) === true && (spec.get('rootVolumeEncryptionKey').string() ?? '') !== '',
  };
}

/**
 * `spec.iam.profile`, checked for shape (its partition is compared with the cluster's
 * once the group's cluster is known). kops names the profile by the ARN's last segment.
 */
function readProfile(node: YamlNode, report: Report): string | undefined {
  if (node.unset) return undefined;
  const text = node.string();
  const example = 'arn:aws:iam::123456789012:instance-profile/my-nodes';
  if (text === undefined) {
    report.error('KI407', node, `must be the ARN of an existing instance profile, e.g. ${example}`);
    return undefined;
  }
  const takes = 'spec.iam.profile takes the ARN of an instance profile';
  // The cluster is not known yet: its partition and account checks wait for it (manifest/group-profiles.ts).
  const quiet = new Report();
  const arn = checkIamArn(
    text,
    node,
    { type: 'instance-profile', partition: undefined, code: 'KI407', takes, example, lenient: true },
    quiet,
  );
  for (const d of quiet.diagnostics) if (d.severity === 'error') report.error(d.code, { pos: d, path: d.path }, d.message);
  return arn?.arn;
}

function roleMessage(value: string | undefined): string {
  if (value === undefined) return 'an InstanceGroup needs spec.role: ControlPlane (or Master), APIServer, Node or Bastion';
  const guess =
    ROLE_NAMES.find((r) => r.toLowerCase() === value.toLowerCase()) ??
    closest(value, ROLE_NAMES) ??
    closest(value.replace(/s$/i, ''), ROLE_NAMES);
  const hint = guess !== undefined ? `did you mean '${guess}'? ` : '';
  return `unknown InstanceGroup role '${value}'; ${hint}kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and Bastion`;
}
