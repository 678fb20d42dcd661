import { describe, expect, it } from 'vitest';
import { checkIamArn, parseArn, type IamArnCheck } from '../../src/cluster/arn';
import { partitionOf } from '../../src/cluster/partition';
import { specLines } from '../helpers';

const AWS = partitionOf('eu-central-1');
const TEST_REGION = partitionOf('us-test-1');

/** checkIamArn on `spec.p: <written>` (line 2; a plain value starts at column 6). */
function check(written: string, options: Partial<IamArnCheck> = {}) {
  const { spec, report } = specLines(`  p: ${written}`);
  const text = spec.get('p').string() ?? '';
  const c: IamArnCheck = {
    type: 'role',
    partition: AWS,
    code: 'KI402',
    takes: 'this field takes the ARN of a role',
    example: 'arn:aws:iam::123456789012:role/example',
    ...options,
  };
  const result = checkIamArn(text, spec.get('p'), c, report);
  return { result, diagnostics: report.diagnostics.map((d) => ({ code: d.code, severity: d.severity, col: d.col, message: d.message })) };
}

describe('parseArn', () => {
  it('splits six parts, the last holding the rest (colons and line breaks included)', () => {
    expect(parseArn('arn:aws:s3:::b/k:x')).toEqual({ partition: 'aws', service: 's3', region: '', account: '', resource: 'b/k:x' });
    expect(parseArn('arn:aws:iam::1:role/a\nb')?.resource).toBe('role/a\nb');
    expect(parseArn('arn:aws:iam::1')).toBeUndefined();
    expect(parseArn('xarn:aws:iam::1:role/a')).toBeUndefined();
  });
});

describe('checkIamArn: each type', () => {
  it('reads a role, its path and its name', () => {
    expect(check('arn:aws:iam::123456789012:role/a/b-c/Role+=,.@_-1')).toEqual({
      result: { arn: 'arn:aws:iam::123456789012:role/a/b-c/Role+=,.@_-1', path: '/a/b-c/', name: 'Role+=,.@_-1' },
      diagnostics: [],
    });
    expect(check('arn:aws:iam::123456789012:role/r').result).toEqual({ arn: 'arn:aws:iam::123456789012:role/r', path: '/', name: 'r' });
  });

  it('reads an instance profile and a managed policy, with the account "aws" for AWS managed policies only', () => {
    expect(check('arn:aws:iam::123456789012:instance-profile/p', { type: 'instance-profile' }).result?.name).toBe('p');
    expect(check('arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM', { type: 'policy' }).result).toEqual({
      arn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM',
      path: '/service-role/',
      name: 'AmazonEC2RoleforSSM',
    });
    expect(check('arn:aws:iam::aws:role/r').diagnostics).toEqual([
      { code: 'KI402', severity: 'error', col: 19, message: "the account in the ARN must be 12 digits, found 'aws'" },
    ]);
  });

  it.each([
    ['role', 64],
    ['instance-profile', 128],
    ['policy', 128],
  ] as const)('takes %s names of up to %i characters', (type, max) => {
    const arn = (n: number) => `arn:aws:iam::123456789012:${type}/${'n'.repeat(n)}`;
    expect(check(arn(max), { type }).diagnostics).toEqual([]);
    const noun = type === 'instance-profile' ? 'instance profile' : type;
    expect(check(arn(max + 1), { type }).diagnostics.map((d) => d.message)).toEqual([
      `'${'n'.repeat(max + 1)}' is not a valid ${noun} name (it has ${max + 1} characters): 1-${max} letters, digits and + = , . @ _ -`,
    ]);
  });

  it('names the type an ARN is of when it is not the one the field takes', () => {
    expect(
      check('arn:aws:iam::123456789012:role/r', { type: 'policy', takes: 'permissionsBoundary takes the ARN of a managed policy' })
        .diagnostics,
    ).toEqual([
      {
        code: 'KI402',
        severity: 'error',
        col: 32,
        message: "that is a role's ARN; permissionsBoundary takes the ARN of a managed policy, arn:aws:iam::123456789012:role/example",
      },
    ]);
    expect(check('arn:aws:iam::123456789012:user/u').diagnostics.map((d) => d.message)).toEqual([
      "the resource is 'user/u'; this field takes the ARN of a role, arn:aws:iam::123456789012:role/example",
    ]);
  });
});

describe('checkIamArn: what is not an ARN', () => {
  it.each([
    ['kops-master', "write the role's ARN, not its name"],
    ['arn:aws:iam::123456789012', 'an ARN has six parts separated by ":"'],
    ['"role one"', 'it does not start with arn:'],
  ])('%s', (written, why) => {
    const text = written.replace(/"/g, '');
    expect(check(written).diagnostics).toEqual([
      {
        code: 'KI402',
        severity: 'error',
        col: 6,
        message: `'${text}' is not an IAM role ARN (${why}); expected e.g. arn:aws:iam::123456789012:role/example`,
      },
    ]);
  });
});

describe('checkIamArn: positions', () => {
  it('points each problem at the part of the ARN it is about, in the order partition, region, account, name', () => {
    const arn = 'arn:aws-cn:iam:eu-west-1:1:role/a b';
    const col = (part: string) => 6 + arn.indexOf(part);
    expect(check(arn).diagnostics).toEqual([
      {
        code: 'KI402',
        severity: 'error',
        col: col('aws-cn'),
        message:
          "the role is in partition 'aws-cn' but the cluster's region is in 'aws'; instances cannot use a role of another partition: " +
          'write arn:aws:…',
      },
      {
        code: 'KI402',
        severity: 'error',
        col: col('eu-west-1'),
        message: "IAM is global: a role ARN has no region, found 'eu-west-1'; write arn:aws-cn:iam::1:role/a b",
      },
      { code: 'KI402', severity: 'error', col: col(':1:') + 1, message: "the account in the ARN must be 12 digits, found '1' (1 digits)" },
      {
        code: 'KI402',
        severity: 'error',
        col: col('a b'),
        message: '\'a b\' is not a valid role name (it has the character " "): 1-64 letters, digits and + = , . @ _ -',
      },
    ]);
  });

  it('points at the service, and at a path, inside a double-quoted value', () => {
    expect(check('"arn:aws:ec2::123456789012:role/x"').diagnostics).toEqual([
      {
        code: 'KI402',
        severity: 'error',
        col: 7 + 'arn:aws:'.length,
        message: "the ARN is of service 'ec2', not 'iam'; a role ARN reads arn:aws:iam::123456789012:role/example",
      },
    ]);
    expect(check("'arn:aws:iam::123456789012:role/my team/x'").diagnostics).toEqual([
      {
        code: 'KI402',
        severity: 'error',
        col: 7 + 'arn:aws:iam::123456789012:role'.length,
        message:
          "'/my team/' is not a valid role path (it has the character \" \"): '/' or '/segments/' of printable ASCII, at most 512 " +
          'characters',
      },
    ]);
  });

  it('says the name is missing after a trailing slash', () => {
    expect(check('arn:aws:iam::123456789012:role/team/').diagnostics.map((d) => [d.col, d.message])).toEqual([
      [6 + 'arn:aws:iam::123456789012:role/team/'.length, "the ARN ends with '/': the role's name is missing after the path '/team/'"],
    ]);
  });

  it('refuses control characters: a line break or NUL in a name or path', () => {
    expect(check('"arn:aws:iam::123456789012:role/a\\nb"').diagnostics.map((d) => d.message)).toEqual([
      '\'a\\nb\' is not a valid role name (it has the character "\\n"): 1-64 letters, digits and + = , . @ _ -',
    ]);
    expect(check('"arn:aws:iam::123456789012:policy/p\\u0000q/x"', { type: 'policy' }).diagnostics.map((d) => d.message)).toEqual([
      "'/p\\u0000q/' is not a valid policy path (it has the character \"\\u0000\"): '/' or '/segments/' of printable ASCII, at most 512 " +
        'characters',
    ]);
  });
});

describe('checkIamArn: partitions and accounts', () => {
  it('accepts any partition when the cluster partition is not known (its region is already reported)', () => {
    expect(check('arn:aws-cn:iam::123456789012:role/r', { partition: undefined }).diagnostics).toEqual([]);
  });

  it("takes the partition and a 13-digit account as written, warned, for a region AWS's data does not list (kops' test clusters)", () => {
    const r = check('arn:aws-test:iam::1234567890123:role/r', { partition: TEST_REGION });
    expect(r.result).toEqual({ arn: 'arn:aws-test:iam::1234567890123:role/r', path: '/', name: 'r' });
    expect(r.diagnostics.map((d) => [d.severity, d.col])).toEqual([
      ['warning', 10],
      ['warning', 24],
    ]);
  });

  it('still refuses an account that is not digits, and a partition of a listed region, as errors', () => {
    expect(check('arn:aws-test:iam::account:role/r', { partition: TEST_REGION })).toMatchObject({
      result: undefined,
      diagnostics: [{ severity: 'warning' }, { severity: 'error', message: "the account in the ARN must be 12 digits, found 'account'" }],
    });
    expect(check('arn:aws-test:iam::123456789012:role/r')).toMatchObject({
      result: undefined,
      diagnostics: [{ severity: 'error', col: 10 }],
    });
  });

  it('is lenient on request (instance profiles, checked before their cluster is known)', () => {
    const r = check('arn:aws-cn:iam::1234567890123:instance-profile/p', { type: 'instance-profile', lenient: true });
    expect(r.result?.name).toBe('p');
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
  });
});
