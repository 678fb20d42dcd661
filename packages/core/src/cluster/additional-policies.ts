import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { ActionUse } from '../policy/iam-actions';
import type { Statement } from '../policy/statement';
import { readPolicyValue } from '../policy/policy-value';
import { readUserStatements } from '../policy/user-statements';
import type { Partition } from './partition';
import { ROLELESS_KEYS, roleOfPolicyKey, unknownRoleMessage, type InstanceRoleKind } from './roles';

/** The statements `spec.additionalPolicies.<role>` adds, as the user wrote them. */
export interface AdditionalPolicy {
  readonly role: InstanceRoleKind;
  /** Where the policy is written and its path, e.g. `spec.additionalPolicies.node`. */
  readonly at: Placed;
  readonly statements: readonly Statement[];
}

/** What reading a role map of policies gives: the policies per role and every action to check against IAM data. */
export interface AdditionalPolicies {
  readonly byRole: ReadonlyMap<InstanceRoleKind, AdditionalPolicy>;
  readonly actions: readonly ActionUse[];
}

/**
 * Reads `spec.additionalPolicies`: per role, a string holding a JSON list of statements
 * (kops' documented form) or a YAML list of statements. `master` and `control-plane`
 * name the same role (v1alpha2 writes the first, kops the second).
 */
export function readAdditionalPolicies(spec: YamlNode, partition: Partition | undefined, report: Report): AdditionalPolicies {
  const byRole = new Map<InstanceRoleKind, AdditionalPolicy>();
  const actions: ActionUse[] = [];
  const root = spec.get('additionalPolicies');
  if (root.unset) return { byRole, actions };
  if (root.kind !== 'map') {
    const message =
      'must be a map of role (master, node, bastion or apiserver) to a JSON list of IAM statements; put the list under a role key, e.g. ' +
      'node: |';
    report.error('KI301', root, message);
    return { byRole, actions };
  }
  for (const { key, keyAt, value } of root.entries()) {
    const role = roleOfPolicyKey(key);
    if (role === undefined) {
      if (ROLELESS_KEYS.includes(key))
        report.warning('KI302', keyAt, `ignored: '${key}' has no IAM role of its own in kops (it runs on the control plane)`);
      else report.error('KI302', keyAt, unknownRoleMessage(key));
      continue;
    }
    const first = byRole.get(role);
    if (first !== undefined) {
      report.error(
        'KI302',
        keyAt,
        `the ${key} policy is already given by ${first.at.path}: master and control-plane name the same role; merge them`,
      );
      continue;
    }
    const tree = readPolicyValue(value, report);
    if (tree === undefined) continue;
    const read = readUserStatements(tree, { field: 'additionalPolicies', partition }, report);
    actions.push(...read.actions);
    if (tree.kind === 'array' && tree.items.length === 0) {
      report.warning('KI304', value, 'an empty list adds no policy; remove the key or add statements');
      continue;
    }
    byRole.set(role, { role, at: { pos: value.pos, path: value.path }, statements: read.statements });
  }
  return { byRole, actions };
}
