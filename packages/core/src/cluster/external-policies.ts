import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { readPolicyArns } from './iam-settings';
import type { Partition } from './partition';
import { ROLELESS_KEYS, roleOfPolicyKey, unknownRoleMessage, type InstanceRoleKind } from './roles';

/** Managed policies `spec.externalPolicies.<role>` attaches to a role. */
export interface ExternalPolicies {
  readonly role: InstanceRoleKind;
  readonly at: Placed;
  readonly arns: readonly string[];
}

/** Reads `spec.externalPolicies`: per role, a list of managed-policy ARNs to attach. */
export function readExternalPolicies(
  spec: YamlNode,
  partition: Partition | undefined,
  report: Report,
): ReadonlyMap<InstanceRoleKind, ExternalPolicies> {
  const out = new Map<InstanceRoleKind, ExternalPolicies>();
  const root = spec.get('externalPolicies');
  if (root.unset) return out;
  if (root.kind !== 'map') {
    report.error('KI406', root, 'must be a map of role (master, node, bastion or apiserver) to a list of managed-policy ARNs');
    return out;
  }
  for (const { key, keyAt, value } of root.entries()) {
    const role = roleOfPolicyKey(key);
    if (role === undefined) {
      if (ROLELESS_KEYS.includes(key))
        report.warning('KI406', keyAt, `ignored: '${key}' has no IAM role of its own in kops (it runs on the control plane)`);
      else report.error('KI302', keyAt, unknownRoleMessage(key));
      continue;
    }
    const first = out.get(role);
    if (first !== undefined) {
      report.error(
        'KI302',
        keyAt,
        `the ${key} policies are already given by ${first.at.path}: master and control-plane name the same role; merge them`,
      );
      continue;
    }
    // kops sorts them; the order changes nothing in IAM, and sorted output is stable for review.
    const arns = readPolicyArns(value, partition, report).sort();
    out.set(role, { role, at: { pos: value.pos, path: value.path }, arns });
  }
  return out;
}
