import type { Diagnostics, SourcePosition } from './diagnostics';
import { embeddedTextPosition } from './embedded-text';
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
  /** Where the ARN is written, for messages about the role. */
  readonly pos: SourcePosition;
  /** The ARN's YAML path, e.g. `spec.customPolicies.node`. */
  readonly path: string;
}

/** An ARN's six parts: `arn:partition:service:region:account:resource`. */
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;
/** IAM role names: 1-64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM paths: `/` alone, or `/` + segments of printable ASCII + `/`; at most 512 characters. */
const ROLE_PATH = /^\/(?:[\x21-\x7e]+\/)?$/;
const MAX_PATH = 512;

/**
 * Reads `spec.customPolicies`, which kops only honours with the CustomPoliciesSupport
 * feature flag on; without it every entry is an error that shows how to turn it on.
 * Without a partition (the cluster's region is unknown, already reported) the ARNs'
 * partition is not compared.
 */
export function readCustomPolicies(
  spec: YamlNode,
  partition: Partition | undefined,
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
    const misspelt = [...flags.keys()].find((f) => f !== CUSTOM_POLICIES_FLAG && f.toLowerCase() === CUSTOM_POLICIES_FLAG.toLowerCase());
    const off =
      flags.get(CUSTOM_POLICIES_FLAG) === false
        ? ` (KOPS_FEATURE_FLAGS turns it off with -${CUSTOM_POLICIES_FLAG})`
        : misspelt !== undefined
          ? ` (KOPS_FEATURE_FLAGS has '${misspelt}', but flag names are case-sensitive)`
          : '';
    const key = spec.entries().find((e) => e.key === 'customPolicies')?.keyPos ?? root.pos;
    diagnostics.error(
      key,
      root.path,
      `customPolicies needs the ${CUSTOM_POLICIES_FLAG} feature flag, as in kops${off}; run: export KOPS_FEATURE_FLAGS="${exportValue(flags)}"`,
    );
    return out;
  }
  for (const { key, keyPos, value } of root.entries()) {
    if (!isRoleKind(key)) {
      diagnostics.error(keyPos, value.path, unknownRoleMessage(key));
      continue;
    }
    const text = value.string();
    if (text === undefined || text.trim() === '') {
      const example = `arn:${partition?.name ?? 'aws'}:iam::123456789012:role/kops-${key}`;
      diagnostics.error(value.pos, value.path, `must be the ARN of an existing IAM role, e.g. ${example}; to let kops-iam create the role, remove the key`);
      continue;
    }
    const name = parseRoleArn(text, partition, key, value, diagnostics);
    if (name === undefined) continue;
    out.set(key, { role: key, arn: text, name, pos: value.pos, path: value.path });
    diagnostics.warning(
      value.pos,
      value.path,
      `kops-iam will not create or manage role '${name}': it writes only the instance profile and outputs for it; keeping the role's permissions in line with what kops needs is up to you`,
    );
  }
  return out;
}

/** The value of KOPS_FEATURE_FLAGS that keeps the user's other flags and turns CustomPoliciesSupport on. */
function exportValue(flags: ReadonlyMap<string, boolean>): string {
  const others = [...flags]
    .filter(([name]) => name.toLowerCase() !== CUSTOM_POLICIES_FLAG.toLowerCase())
    .map(([name, on]) => (on ? name : `-${name}`));
  return [...others, `+${CUSTOM_POLICIES_FLAG}`].join(',');
}

/** Checks a role ARN and returns the role's name, or reports every reason it is not one. */
function parseRoleArn(text: string, partition: Partition | undefined, role: RoleKind, node: YamlNode, diagnostics: Diagnostics): string | undefined {
  const p = partition?.name ?? 'aws';
  const example = `arn:${p}:iam::123456789012:role/kops-${role}`;
  const m = ARN.exec(text);
  if (m === null) {
    const why = text.startsWith('arn:') ? 'an ARN has six parts separated by ":"' : /^[\w+=,.@-]{1,64}$/.test(text) ? 'write the role\'s ARN, not its name' : 'it does not start with arn:';
    diagnostics.error(node.pos, node.path, `'${text}' is not an IAM role ARN (${why}); expected e.g. ${example}`);
    return undefined;
  }
  const [, arnPartition = '', service = '', region = '', account = '', resource = ''] = m;
  // Each error points at the part of the ARN it is about.
  const at = embeddedTextPosition(node, text);
  const partStart = [4];
  for (const part of [arnPartition, service, region, account]) partStart.push((partStart[partStart.length - 1] ?? 0) + part.length + 1);
  const [pPartition = 0, pService = 0, pRegion = 0, pAccount = 0, pResource = 0] = partStart;
  const errors: { offset: number; message: string }[] = [];
  const error = (offset: number, message: string) => errors.push({ offset, message });
  if (partition !== undefined && arnPartition !== partition.name) {
    error(pPartition, `the role is in partition '${arnPartition}' but the cluster's region is in '${partition.name}'; instances cannot use a role of another partition: write arn:${partition.name}:…`);
  }
  if (service !== 'iam') error(pService, `the ARN is of service '${service}', not 'iam'; a role ARN reads ${example}`);
  if (region !== '') error(pRegion, `IAM is global: a role ARN has no region, found '${region}'; write arn:${arnPartition}:iam::${account}:${resource}`);
  if (!/^\d{12}$/.test(account)) error(pAccount, `the account in the ARN must be 12 digits, found '${account}'${/^\d+$/.test(account) ? ` (${account.length} digits)` : ''}`);
  const type = resource.split('/')[0] ?? '';
  if (type !== 'role' || !resource.includes('/')) {
    const what = type === 'instance-profile' ? "that is an instance profile's ARN" : type === 'policy' ? "that is a managed policy's ARN" : `the resource is '${resource}'`;
    error(pResource, `${what}; customPolicies takes the ARN of a role, ${example}`);
  }
  let name = '';
  if (type === 'role' && resource.includes('/')) {
    const rest = resource.slice('role'.length);
    const cut = rest.lastIndexOf('/');
    const path = rest.slice(0, cut + 1);
    name = rest.slice(cut + 1);
    if (!ROLE_NAME.test(name)) {
      if (name === '') error(pResource + resource.length, `the ARN ends with '/': the role's name is missing after the path '${path}'`);
      else {
        const why = name.length > 64 ? `it has ${name.length} characters` : `it has the character ${JSON.stringify(/[^\w+=,.@-]/.exec(name)?.[0] ?? '')}`;
        error(pResource + resource.length - name.length, `'${name}' is not a valid role name (${why}): 1-64 letters, digits and + = , . @ _ -`);
      }
    }
    if (path.length > MAX_PATH || !ROLE_PATH.test(path)) {
      const why = path.length > MAX_PATH ? `it has ${path.length} characters` : `it has the character ${JSON.stringify(/[^\x21-\x7e]/.exec(path)?.[0] ?? '')}`;
      error(pResource + 'role'.length, `'${path}' is not a valid role path (${why}): '/' or '/segments/' of printable ASCII, at most ${MAX_PATH} characters`);
    }
  }
  for (const e of errors) diagnostics.error(at(e.offset), node.path, e.message);
  return errors.length === 0 ? name : undefined;
}
