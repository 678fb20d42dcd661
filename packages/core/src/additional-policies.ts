import type { Diagnostics, SourcePosition } from './diagnostics';
import { embeddedTextPosition } from './embedded-text';
import type { ActionUse } from './iam-actions';
import { parseJson } from './json-ast';
import type { Partition } from './partition';
import { policyTreeFromJson, policyTreeFromYaml, type PolicyNode } from './policy-tree';
import { isRoleKind, unknownRoleMessage, type RoleKind } from './roles';
import { checkStatements } from './statement-checks';
import type { YamlNode } from './yaml-node';

/** The statements `spec.additionalPolicies.<role>` adds, as the user wrote them. */
export interface AdditionalPolicy {
  readonly role: RoleKind;
  /** Where the policy is written, for messages about the policy as a whole. */
  readonly pos: SourcePosition;
  /** The policy's YAML path, e.g. `spec.additionalPolicies.node`. */
  readonly path: string;
  readonly statements: readonly PolicyNode[];
}

/** What reading additionalPolicies gives: the policies per role and every action to check against IAM data. */
export interface AdditionalPolicies {
  readonly byRole: ReadonlyMap<RoleKind, AdditionalPolicy>;
  readonly actions: readonly ActionUse[];
}

/**
 * Reads `spec.additionalPolicies`: per role, a string holding a JSON list of statements
 * (kops' documented form) or a YAML list of statements.
 */
export function readAdditionalPolicies(spec: YamlNode, partition: Partition | undefined, diagnostics: Diagnostics): AdditionalPolicies {
  const byRole = new Map<RoleKind, AdditionalPolicy>();
  const actions: ActionUse[] = [];
  const root = spec.get('additionalPolicies');
  if (root.unset) return { byRole, actions };
  if (root.kind !== 'map') {
    diagnostics.error(root.pos, root.path, 'must be a map of role (master, node or bastion) to a JSON list of IAM statements; put the list under a role key, e.g. node: |');
    return { byRole, actions };
  }
  for (const { key, keyPos, value } of root.entries()) {
    if (!isRoleKind(key)) {
      diagnostics.error(keyPos, value.path, unknownRoleMessage(key));
      continue;
    }
    const tree = statementTree(value, diagnostics);
    if (tree === undefined) continue;
    const checked = checkStatements(tree, partition, diagnostics);
    actions.push(...checked.actions);
    if (tree.kind === 'array' && tree.items.length === 0) {
      diagnostics.warning(value.pos, value.path, 'an empty list adds no policy; remove the key or add statements');
      continue;
    }
    byRole.set(key, { role: key, pos: value.pos, path: value.path, statements: checked.statements });
  }
  return { byRole, actions };
}

function statementTree(value: YamlNode, diagnostics: Diagnostics): PolicyNode | undefined {
  if (value.kind === 'seq' || value.kind === 'map') return policyTreeFromYaml(value);
  if (value.unset) {
    diagnostics.warning(value.pos, value.path, 'empty: no additional policy is added');
    return undefined;
  }
  const text = value.string();
  if (text === undefined) {
    diagnostics.error(value.pos, value.path, `must be a string holding a JSON list of IAM statements, or a YAML list of statements; found ${describeYamlValue(value)}`);
    return undefined;
  }
  if (text.trim() === '') {
    diagnostics.warning(value.pos, value.path, 'empty: no additional policy is added');
    return undefined;
  }
  const position = embeddedTextPosition(value, text);
  const parsed = parseJson(text);
  if (!parsed.ok) {
    diagnostics.error(position(parsed.offset), value.path, `invalid JSON: ${parsed.message}`);
    return undefined;
  }
  return policyTreeFromJson(parsed.value, value.path, position);
}

function describeYamlValue(value: YamlNode): string {
  const v = value.scalar();
  return typeof v === 'number' ? `the number ${v}` : typeof v === 'boolean' ? `the boolean ${v}` : `${JSON.stringify(v ?? null)}`;
}
