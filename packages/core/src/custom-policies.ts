import type { Diagnostics } from './diagnostics';
import { CUSTOM_POLICIES_FLAG } from './feature-flags';
import type { Partition } from './partition';
import { isRoleKind, unknownRoleMessage, type RoleKind } from './roles';
import type { YamlNode } from './yaml-node';

/** An existing role that `spec.customPolicies.<role>` reuses instead of one kops-iam creates. */
export interface CustomRole {
  readonly role: RoleKind;
  readonly arn: string;
  /** The role's name: the ARN's last path segment, which the instance profile refers to. */
  readonly name: string;
  readonly node: YamlNode;
}

/** IAM role ARNs: account of 12 digits, path `/` or `/a/b/`, name of IAM's role-name characters. */
const ROLE_ARN = /^arn:([a-z0-9-]+):iam::([^:]*):role(\/.*)$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/(?:[\x21-\x7e]+\/)?$/;

/**
 * Reads `spec.customPolicies`, which kops only honours with the CustomPoliciesSupport
 * feature flag on; without it every entry is an error that shows how to turn it on.
 */
export function readCustomPolicies(
  spec: YamlNode,
  partition: Partition,
  flags: ReadonlyMap<string, boolean>,
  diagnostics: Diagnostics,
): ReadonlyMap<RoleKind, CustomRole> {
  const out = new Map<RoleKind, CustomRole>();
  const root = spec.get('customPolicies');
  if (root.unset) return out;
  if (root.kind !== 'map') {
    diagnostics.error(root.pos, root.path, 'must be a map of role (master, node, bastion) to the ARN of an existing IAM role');
    return out;
  }
  if (flags.get(CUSTOM_POLICIES_FLAG) !== true) {
    diagnostics.error(
      root.pos,
      root.path,
      `customPolicies needs the ${CUSTOM_POLICIES_FLAG} feature flag, as in kops; run: export KOPS_FEATURE_FLAGS="+${CUSTOM_POLICIES_FLAG}"`,
    );
    return out;
  }
  for (const { key, keyPos, value } of root.entries()) {
    if (!isRoleKind(key)) {
      diagnostics.error(keyPos, value.path, unknownRoleMessage(key));
      continue;
    }
    const text = value.string();
    if (text === undefined) {
      diagnostics.error(value.pos, value.path, 'must be the ARN of an existing IAM role, e.g. arn:aws:iam::123456789012:role/kops-node');
      continue;
    }
    const parsed = parseRoleArn(text, partition, value, diagnostics);
    if (parsed === undefined) continue;
    out.set(key, { role: key, arn: text, name: parsed, node: value });
    diagnostics.warning(value.pos, value.path, `kops-iam will not create or manage role '${parsed}': its permissions are yours to keep in line with what kops needs`);
  }
  return out;
}

/** Checks a role ARN and returns the role's name, or reports why it is not one. */
function parseRoleArn(text: string, partition: Partition, node: YamlNode, diagnostics: Diagnostics): string | undefined {
  const example = `arn:${partition.name}:iam::123456789012:role/kops-node`;
  const m = ROLE_ARN.exec(text);
  if (m === null) {
    diagnostics.error(node.pos, node.path, `'${text}' is not an IAM role ARN; expected e.g. ${example}`);
    return undefined;
  }
  const [, arnPartition = '', account = '', rest = ''] = m;
  let ok = true;
  if (arnPartition !== partition.name) {
    diagnostics.error(node.pos, node.path, `the role is in partition '${arnPartition}' but the cluster's region is in '${partition.name}'; instances cannot use a role of another partition`);
    ok = false;
  }
  if (!/^\d{12}$/.test(account)) {
    diagnostics.error(node.pos, node.path, `the account in the ARN must be 12 digits, found '${account}'`);
    ok = false;
  }
  const cut = rest.lastIndexOf('/');
  const path = rest.slice(0, cut + 1);
  const name = rest.slice(cut + 1);
  if (!ROLE_NAME.test(name)) {
    diagnostics.error(node.pos, node.path, `'${name}' is not a valid role name: 1-64 letters, digits and + = , . @ _ -`);
    ok = false;
  }
  if (path.length > 512 || !ROLE_PATH.test(path)) {
    diagnostics.error(node.pos, node.path, `'${path}' is not a valid role path: '/' or '/segments/' of printable characters, at most 512`);
    ok = false;
  }
  return ok ? name : undefined;
}
