import type { DiagnosticCode } from '../diagnostics/codes';
import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { Partition } from './partition';
import type { YamlNode } from '../input/yaml-node';
import { embeddedTextPosition } from '../input/embedded-text';

/** An ARN's six parts: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The one ARN pattern of kops-iam: six colon-separated parts, the last holding the rest. */
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;

/** The parts of an ARN; undefined for anything that is not shaped like one. */
export function parseArn(text: string): Arn | undefined {
  const m = ARN.exec(text);
  if (m === null) return undefined;
  return { partition: m[1] ?? '', service: m[2] ?? '', region: m[3] ?? '', account: m[4] ?? '', resource: m[5] ?? '' };
}

/**
 * Compares an ARN's partition with the cluster's. A mismatch is an error, except when the
 * cluster's region is not in AWS's partition data (then the cluster's partition is a guess,
 * already warned about): kops' own test clusters live in region `us-test-1` with ARNs of
 * partition `aws-test`. True when the ARN may be used.
 */
export function checkArnPartition(
  arnPartition: string,
  text: string,
  partition: Partition | undefined,
  at: Placed,
  report: Report,
  code: DiagnosticCode,
): boolean {
  if (partition === undefined || arnPartition === partition.name) return true;
  const fixed = `arn:${partition.name}:${text.slice(5 + arnPartition.length)}`;
  if (!partition.knownRegion) {
    report.warning(
      code,
      at,
      `ARN partition '${arnPartition}' is not the partition '${partition.name}' assumed for the cluster's region; kept as written`,
    );
    return true;
  }
  report.error(code, at, `ARN partition '${arnPartition}' does not match the cluster's partition '${partition.name}'; write ${fixed}`);
  return false;
}

/** The IAM resource types kops-iam takes ARNs of, and what each is called in messages. */
const IAM_TYPES = {
  role: { noun: 'role', maxName: 64, crossPartition: 'instances cannot use a role of another partition' },
  'instance-profile': { noun: 'instance profile', maxName: 128, crossPartition: 'instances cannot use a profile of another partition' },
  policy: { noun: 'policy', maxName: 128, crossPartition: 'a role cannot attach a policy of another partition' },
} as const;

export type IamArnType = keyof typeof IAM_TYPES;

/** What an IAM ARN (`arn:<p>:iam::<account>:<type>/<path/>name`) names. */
export interface IamResourceArn {
  readonly arn: string;
  readonly path: string;
  readonly name: string;
}

/** IAM names: letters, digits and `+=,.@_-`. */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** IAM paths: `/` alone, or `/` + segments of printable ASCII + `/`; at most 512 characters. */
const IAM_PATH = /^\/(?:[\x21-\x7e]+\/)?$/;
const MAX_PATH = 512;

/** How an ARN is checked: its type, the cluster's partition, and what the field takes (for messages). */
export interface IamArnCheck {
  readonly type: IamArnType;
  readonly partition: Partition | undefined;
  readonly code: DiagnosticCode;
  /** What the field takes, e.g. `customPolicies takes the ARN of a role`. */
  readonly takes: string;
  /** An example ARN of the right kind. */
  readonly example: string;
  /** Take a partition or account that AWS would not have as written, with a warning (see checkIamArn). */
  readonly lenient?: boolean;
}

/**
 * Checks an IAM ARN (a role, instance profile or managed policy) and returns its name and
 * path, or reports every reason it is not one, each at the part of the ARN it is about.
 * With a region unknown to AWS's data, the partition and account are taken as written
 * (warned): kops' test clusters use partition `aws-test` and 13-digit accounts.
 */
export function checkIamArn(text: string, node: YamlNode, check: IamArnCheck, report: Report): IamResourceArn | undefined {
  const t = IAM_TYPES[check.type];
  const arn = parseArn(text);
  if (arn === undefined) {
    const why = text.startsWith('arn:')
      ? 'an ARN has six parts separated by ":"'
      : IAM_NAME.test(text)
        ? `write the ${t.noun}'s ARN, not its name`
        : 'it does not start with arn:';
    report.error(check.code, node, `'${text}' is not an IAM ${t.noun} ARN (${why}); expected e.g. ${check.example}`);
    return undefined;
  }
  const position = embeddedTextPosition(node, text);
  const starts = partStarts(arn);
  const problems: { offset: number; message: string; warn?: boolean }[] = [];
  const lenient = check.lenient === true || (check.partition !== undefined && !check.partition.knownRegion);
  if (check.partition !== undefined && arn.partition !== check.partition.name) {
    const message =
      `the ${t.noun} is in partition '${arn.partition}' but the cluster's region is in '${check.partition.name}'; ` +
      `${t.crossPartition}: write arn:${check.partition.name}:…`;
    problems.push({ offset: starts.partition, message, warn: lenient });
  }
  if (arn.service !== 'iam')
    problems.push({
      offset: starts.service,
      message: `the ARN is of service '${arn.service}', not 'iam'; ${articled(t.noun)} ARN reads ${check.example}`,
    });
  if (arn.region !== '') {
    problems.push({
      offset: starts.region,
      message:
        `IAM is global: ${articled(t.noun)} ARN has no region, found '${arn.region}'; write ` +
        `arn:${arn.partition}:iam::${arn.account}:${arn.resource}`,
    });
  }
  if (!/^\d{12}$/.test(arn.account) && !(check.type === 'policy' && arn.account === 'aws')) {
    const digits = /^\d+$/.test(arn.account) ? ` (${arn.account.length} digits)` : '';
    problems.push({
      offset: starts.account,
      message: `the account in the ARN must be 12 digits, found '${arn.account}'${digits}`,
      warn: lenient && digits !== '',
    });
  }
  const name = resourceProblems(arn.resource, check, starts.resource, problems);
  for (const p of problems)
    (p.warn === true ? report.warning : report.error).call(report, check.code, { pos: position(p.offset), path: node.path }, p.message);
  return problems.every((p) => p.warn === true) && name !== undefined ? { arn: text, ...name } : undefined;
}

function articled(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** Where each part of an ARN starts in its text. */
function partStarts(arn: Arn): { partition: number; service: number; region: number; account: number; resource: number } {
  const partition = 4;
  const service = partition + arn.partition.length + 1;
  const region = service + arn.service.length + 1;
  const account = region + arn.region.length + 1;
  return { partition, service, region, account, resource: account + arn.account.length + 1 };
}

const OTHER_TYPES: Readonly<Record<string, string>> = {
  role: "that is a role's ARN",
  'instance-profile': "that is an instance profile's ARN",
  policy: "that is a managed policy's ARN",
};

/** The resource part: `<type>/<path/>name`; returns the path and name when they are valid. */
function resourceProblems(
  resource: string,
  check: IamArnCheck,
  start: number,
  problems: { offset: number; message: string }[],
): { path: string; name: string } | undefined {
  const t = IAM_TYPES[check.type];
  const type = resource.split('/')[0] ?? '';
  if (type !== check.type || !resource.includes('/')) {
    const what = type !== check.type && OTHER_TYPES[type] !== undefined ? OTHER_TYPES[type] : `the resource is '${resource}'`;
    problems.push({ offset: start, message: `${what}; ${check.takes}, ${check.example}` });
    return undefined;
  }
  const rest = resource.slice(type.length);
  const cut = rest.lastIndexOf('/');
  const path = rest.slice(0, cut + 1);
  const name = rest.slice(cut + 1);
  let ok = true;
  if (name === '' || name.length > t.maxName || !IAM_NAME.test(name)) {
    ok = false;
    if (name === '')
      problems.push({
        offset: start + resource.length,
        message: `the ARN ends with '/': the ${t.noun}'s name is missing after the path '${path}'`,
      });
    else {
      const why =
        name.length > t.maxName
          ? `it has ${name.length} characters`
          : `it has the character ${JSON.stringify(/[^\w+=,.@-]/.exec(name)?.[0] ?? '')}`;
      problems.push({
        offset: start + resource.length - name.length,
        message: `'${name}' is not a valid ${t.noun} name (${why}): 1-${t.maxName} letters, digits and + = , . @ _ -`,
      });
    }
  }
  if (path.length > MAX_PATH || !IAM_PATH.test(path)) {
    ok = false;
    const why =
      path.length > MAX_PATH
        ? `it has ${path.length} characters`
        : `it has the character ${JSON.stringify(/[^\x21-\x7e]/.exec(path)?.[0] ?? '')}`;
    problems.push({
      offset: start + type.length,
      message: `'${path}' is not a valid ${t.noun} path (${why}): '/' or '/segments/' of printable ASCII, at most ${MAX_PATH} characters`,
    });
  }
  return ok ? { path, name } : undefined;
}
