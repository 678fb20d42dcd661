import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { CUSTOM_POLICIES_FLAG } from '../util/feature-flags';
import { checkIamArn } from './arn';
import type { Partition } from './partition';
import { roleOfPolicyKey, unknownRoleMessage, type InstanceRoleKind } from './roles';

/** An existing role that `spec.customPolicies.<role>` reuses instead of one kops-iam creates. */
export interface CustomRole {
  readonly role: InstanceRoleKind;
  readonly arn: string;
  /** The role's name: the ARN's last path segment, which the instance profile refers to. */
  readonly name: string;
  /** Where the ARN is written and its path, e.g. `spec.customPolicies.node`. */
  readonly at: Placed;
}

/** The keys customPolicies takes: the seed's roles. */
const CUSTOM_KEYS = ['master', 'node', 'bastion'];

/**
 * Reads `spec.customPolicies`, which kops only honoured with the CustomPoliciesSupport
 * feature flag on; without it every entry is an error that shows how to turn it on.
 * Without a partition (the cluster's region is unknown, already reported) the ARNs'
 * partition is not compared.
 */
export function readCustomPolicies(
  spec: YamlNode,
  partition: Partition | undefined,
  flags: ReadonlyMap<string, boolean>,
  report: Report,
): ReadonlyMap<InstanceRoleKind, CustomRole> {
  const out = new Map<InstanceRoleKind, CustomRole>();
  const root = spec.get('customPolicies');
  if (root.unset) return out;
  if (root.kind !== 'map') {
    report.error('KI402', root, 'must be a map of role (master, node, bastion) to the ARN of an existing IAM role');
    return out;
  }
  if (flags.get(CUSTOM_POLICIES_FLAG) !== true) {
    const key = spec.entries().find((e) => e.key === 'customPolicies')?.keyPos ?? root.pos;
    report.error('KI401', { pos: key, path: root.path }, flagMessage(flags));
    return out;
  }
  for (const { key, keyAt, value } of root.entries()) {
    const role = CUSTOM_KEYS.includes(key) ? roleOfPolicyKey(key) : undefined;
    if (role === undefined) {
      report.error('KI302', keyAt, unknownRoleMessage(key, CUSTOM_KEYS));
      continue;
    }
    const text = value.string();
    const example = `arn:${partition?.name ?? 'aws'}:iam::123456789012:role/kops-${key}`;
    if (text === undefined || text.trim() === '') {
      report.error(
        'KI402',
        value,
        `must be the ARN of an existing IAM role, e.g. ${example}; to let kops-iam create the role, remove the key`,
      );
      continue;
    }
    const takes = 'customPolicies takes the ARN of a role';
    const arn = checkIamArn(text, value, { type: 'role', partition, code: 'KI402', takes, example }, report);
    if (arn === undefined) continue;
    out.set(role, { role, arn: text, name: arn.name, at: { pos: value.pos, path: value.path } });
    const message =
      `kops-iam will not create or manage role '${arn.name}': it writes only the instance profile and outputs for it; ` +
      `keeping the role's permissions in line with what kops needs is up to you`;
    report.warning('KI403', value, message);
  }
  return out;
}

function flagMessage(flags: ReadonlyMap<string, boolean>): string {
  const misspelt = [...flags.keys()].find(
    (f) => f !== CUSTOM_POLICIES_FLAG && f.replace(/^\++/, '').toLowerCase() === CUSTOM_POLICIES_FLAG.toLowerCase(),
  );
  const off =
    flags.get(CUSTOM_POLICIES_FLAG) === false
      ? ` (KOPS_FEATURE_FLAGS turns it off with -${CUSTOM_POLICIES_FLAG})`
      : misspelt !== undefined
        ? ` (KOPS_FEATURE_FLAGS has '${misspelt}', but ` +
          `${misspelt.startsWith('+') ? "a flag takes one '+'" : 'flag names are case-sensitive'})`
        : '';
  return (
    `customPolicies needs the ${CUSTOM_POLICIES_FLAG} feature flag, as in kops${off}; run: export ` +
    `KOPS_FEATURE_FLAGS="${exportValue(flags)}"`
  );
}

/** The value of KOPS_FEATURE_FLAGS that keeps the user's other flags and turns CustomPoliciesSupport on. */
function exportValue(flags: ReadonlyMap<string, boolean>): string {
  const others = [...flags]
    .filter(([name]) => name.replace(/^\++/, '').toLowerCase() !== CUSTOM_POLICIES_FLAG.toLowerCase())
    .map(([name, on]) => (on ? name : `-${name}`));
  return [...others, `+${CUSTOM_POLICIES_FLAG}`].join(',');
}
