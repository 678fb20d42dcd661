import { describe, expect, it } from 'vitest';
import { readIamSettings } from '../../src/cluster/iam-settings';
import { partitionOf } from '../../src/cluster/partition';
import { renderPolicyText } from '../../src/policy/render';
import { spellRef, specLines } from '../helpers';

const AWS = partitionOf('eu-central-1');

function iam(...lines: string[]) {
  const { spec, report } = specLines('  iam:', ...lines);
  const settings = readIamSettings(spec, AWS, report);
  return { settings, diagnostics: report.diagnostics };
}

/** The messages (with codes) of readIamSettings on one service account entry. */
function saProblems(...lines: string[]): [string, string, string][] {
  return iam('    serviceAccountExternalPermissions:', ...lines).diagnostics.map((d) => [d.code, d.path, d.message]);
}

describe('readIamSettings: flags', () => {
  it('defaults every flag to off, with no boundary and no service accounts', () => {
    const { spec, report } = specLines('  cloudProvider: aws');
    expect(readIamSettings(spec, AWS, report)).toEqual({
      allowContainerRegistry: false,
      useServiceAccountExternalPermissions: false,
      serviceAccounts: [],
      actions: [],
    });
  });

  it('reads legacy (as written), allowContainerRegistry and useServiceAccountExternalPermissions', () => {
    expect(
      iam('    legacy: false', '    allowContainerRegistry: true', '    useServiceAccountExternalPermissions: yes').settings,
    ).toMatchObject({
      legacy: false,
      allowContainerRegistry: true,
      useServiceAccountExternalPermissions: true,
    });
  });

  it('refuses flags that are not booleans (KI213) and an iam that is not a mapping (KI412)', () => {
    expect(iam('    allowContainerRegistry: "true"').diagnostics).toMatchObject([
      { code: 'KI213', path: 'spec.iam.allowContainerRegistry', message: 'must be true or false' },
    ]);
    const { spec, report } = specLines('  iam: true');
    readIamSettings(spec, AWS, report);
    expect(report.diagnostics).toMatchObject([
      { code: 'KI412', path: 'spec.iam', message: 'must be a mapping (allowContainerRegistry, permissionsBoundary, …)' },
    ]);
  });
});

describe('readIamSettings: permissionsBoundary', () => {
  it('takes the ARN of a managed policy', () => {
    expect(iam('    permissionsBoundary: arn:aws:iam::123456789012:policy/boundaries').settings.permissionsBoundary).toBe(
      'arn:aws:iam::123456789012:policy/boundaries',
    );
  });

  it.each([
    // The malformed example of kops' own docs/iam_roles.md, which kops passes to AWS unchecked.
    [
      'aws:arn:iam:123456789000:policy:test-boundary',
      "'aws:arn:iam:123456789000:policy:test-boundary' is not an IAM policy ARN (it does not start with arn:); expected e.g. " +
        'arn:aws:iam::123456789012:policy/boundary',
    ],
    [
      'arn:aws:iam::123456789012:role/boundary',
      "that is a role's ARN; permissionsBoundary takes the ARN of a managed policy, arn:aws:iam::123456789012:policy/boundary",
    ],
    ['""', 'must be the ARN of a managed policy, found an empty string'],
    ['12', 'must be the ARN of a managed policy, found the number 12'],
  ])('refuses %s (KI405)', (written, message) => {
    const r = iam(`    permissionsBoundary: ${written}`);
    expect(r.settings.permissionsBoundary).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'KI405', severity: 'error', path: 'spec.iam.permissionsBoundary', message }),
    ]);
  });
});

describe('readIamSettings: serviceAccountExternalPermissions', () => {
  it('reads policyARNs and inline policies, with a wildcard namespace, in order', () => {
    const { settings, diagnostics } = iam(
      '    serviceAccountExternalPermissions:',
      '    - name: myserviceaccount',
      '      namespace: test-*',
      '      aws:',
      '        policyARNs: [arn:aws:iam::123456789012:policy/b, arn:aws:iam::123456789012:policy/a]',
      '    - name: other.sa',
      '      namespace: myapp',
      '      aws:',
      '        inlinePolicy: \'[{"Effect": "Allow", "Action": ["dynamodb:*"], "Resource": ["*"]}]\'',
    );
    expect(diagnostics).toEqual([]);
    expect(settings.serviceAccounts.map((s) => [s.namespace, s.name, s.policyArns, s.at.path, s.at.pos.line])).toEqual([
      [
        'test-*',
        'myserviceaccount',
        ['arn:aws:iam::123456789012:policy/b', 'arn:aws:iam::123456789012:policy/a'],
        'spec.iam.serviceAccountExternalPermissions[0]',
        4,
      ],
      ['myapp', 'other.sa', [], 'spec.iam.serviceAccountExternalPermissions[1]', 8],
    ]);
    expect(settings.serviceAccounts[0]?.statements).toBeUndefined();
    const inline = settings.serviceAccounts[1]?.statements ?? [];
    expect(renderPolicyText({ statements: inline }, spellRef)).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:*"],"Resource":["*"]}]}',
    );
    expect(inline[0]?.origin).toMatchObject({ source: 'user', field: 'serviceAccountExternalPermissions', index: 0 });
    expect(settings.actions.map((a) => [a.action, a.path])).toEqual([
      ['dynamodb:*', 'spec.iam.serviceAccountExternalPermissions[1].aws.inlinePolicy[0].Action[0]'],
    ]);
  });

  it('needs a list (KI408)', () => {
    expect(iam('    serviceAccountExternalPermissions: {name: a}').diagnostics).toMatchObject([
      { code: 'KI408', message: 'must be a list of service accounts, each with name, namespace and aws (policyARNs or inlinePolicy)' },
    ]);
  });

  it('needs a name and a namespace', () => {
    const at = 'spec.iam.serviceAccountExternalPermissions[0]';
    expect(saProblems('    - aws: {policyARNs: [arn:aws:iam::123456789012:policy/p]}')).toEqual([
      ['KI408', `${at}.name`, 'missing name: the service account the role is for'],
      ['KI408', `${at}.namespace`, "missing namespace: the service account's namespace (* wildcards allowed)"],
    ]);
    expect(saProblems('    - {name: "", namespace: default, aws: {policyARNs: [arn:aws:iam::123456789012:policy/p]}}')).toEqual([
      ['KI408', `${at}.name`, "must be the service account's name, found an empty string"],
    ]);
  });

  it('allows * in the namespace only, as kops does', () => {
    const arns = 'aws: {policyARNs: [arn:aws:iam::123456789012:policy/p]}';
    expect(saProblems(`    - {name: sa, namespace: "team-*", ${arns}}`)).toEqual([]);
    expect(saProblems(`    - {name: "sa-*", namespace: default, ${arns}}`)).toEqual([
      [
        'KI408',
        'spec.iam.serviceAccountExternalPermissions[0].name',
        "'sa-*' is not a service account name: kops allows no wildcard in the name (only in the namespace)",
      ],
    ]);
    expect(saProblems(`    - {name: SA, namespace: Team, ${arns}}`).map((p) => p[2])).toEqual([
      "'SA' is not a service account name: lower-case letters, digits, - and .",
      "'Team' is not a namespace: lower-case letters, digits, - (and * wildcards)",
    ]);
  });

  it('needs aws with exactly one of policyARNs and inlinePolicy', () => {
    const at = 'spec.iam.serviceAccountExternalPermissions[0].aws';
    expect(saProblems('    - {name: sa, namespace: default}')).toEqual([
      ['KI408', at, 'missing aws: give policyARNs (managed policies to attach) or inlinePolicy (a JSON list of statements)'],
    ]);
    expect(saProblems('    - {name: sa, namespace: default, aws: {}}')).toEqual([['KI408', at, 'give policyARNs or inlinePolicy']]);
    expect(
      saProblems(
        '    - name: sa',
        '      namespace: default',
        '      aws:',
        '        policyARNs: [arn:aws:iam::123456789012:policy/p]',
        '        inlinePolicy: \'[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\'',
      ),
    ).toEqual([['KI408', at, 'give policyARNs or inlinePolicy, not both (as kops requires)']]);
  });

  it('refuses a service account listed twice, at the second entry', () => {
    const entry = (i: number) => `    - {name: sa, namespace: default, aws: {policyARNs: [arn:aws:iam::123456789012:policy/p${i}]}}`;
    const r = iam('    serviceAccountExternalPermissions:', entry(1), entry(2));
    expect(r.settings.serviceAccounts.map((s) => s.policyArns)).toEqual([['arn:aws:iam::123456789012:policy/p1']]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'KI408',
        line: 5,
        path: 'spec.iam.serviceAccountExternalPermissions[1]',
        message:
          'service account default/sa is already given at spec.iam.serviceAccountExternalPermissions[0]; list each service account once',
      }),
    ]);
  });

  it('checks every policy ARN (KI406) and refuses one listed twice, as kops does', () => {
    const r = saProblems(
      '    - name: sa',
      '      namespace: default',
      '      aws:',
      '        policyARNs:',
      '        - arn:aws:iam::123456789012:policy/p',
      '        - arn:aws:iam::123456789012:policy/p',
      '        - arn:aws-cn:iam::123456789012:policy/q',
    );
    expect(r).toEqual([
      [
        'KI406',
        'spec.iam.serviceAccountExternalPermissions[0].aws.policyARNs[1]',
        "'arn:aws:iam::123456789012:policy/p' is listed twice; kops refuses duplicate attachments",
      ],
      [
        'KI406',
        'spec.iam.serviceAccountExternalPermissions[0].aws.policyARNs[2]',
        "the policy is in partition 'aws-cn' but the cluster's region is in 'aws'; a role cannot attach a policy of another partition: " +
          'write arn:aws:…',
      ],
    ]);
  });
});
