import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../src/diagnostics/codes';
import { Report } from '../../src/diagnostics/report';
import { checkActions, expandAction, serviceActionCount, wildcardRegExp } from '../../src/policy/iam-actions';

/** Checks actions and returns the diagnostics per action (one at most), in order. */
async function check(...actions: string[]): Promise<({ code: DiagnosticCode; message: string } | undefined)[]> {
  const report = new Report();
  await checkActions(
    actions.map((action, i) => ({ action, path: `a[${i}]`, pos: { file: 'f', line: i + 1, col: 1 } })),
    report,
  );
  const list = report.diagnostics;
  for (let i = 0; i < actions.length; i += 1) expect(list.filter((d) => d.path === `a[${i}]`).length).toBeLessThanOrEqual(1);
  return actions.map((_a, i) => {
    const d = list.find((x) => x.path === `a[${i}]`);
    return d === undefined ? undefined : { code: d.code, message: d.message };
  });
}

/** The messages per action (undefined when it passed), in order. */
async function messages(...actions: string[]): Promise<(string | undefined)[]> {
  return (await check(...actions)).map((d) => d?.message);
}

/** The codes per action (undefined when it passed), in order. */
async function codes(...actions: string[]): Promise<(DiagnosticCode | undefined)[]> {
  return (await check(...actions)).map((d) => d?.code);
}

describe('checkActions against AWS IAM data', () => {
  it('accepts real actions, in any case, and * alone', async () => {
    expect(await messages('ec2:DescribeInstances', 'EC2:describeinstances', 's3:GetObject', 'sts:AssumeRole', '*')).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('accepts the one hyphenated action name in the data', async () => {
    expect(await messages('vpc-lattice:AssociateViaAWSService-EventsAndStates')).toEqual([undefined]);
  });

  it('accepts wildcards that match at least one action', async () => {
    expect(await messages('ec2:Describe*', 'ec2:*', 's3:Get*', 'ecr:Batch?etImage', 'kms:ReEncrypt*')).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('names an unknown action and suggests the real one', async () => {
    expect(await messages('ec2:DescribeInstancez')).toEqual([
      "unknown action 'ec2:DescribeInstancez': ec2 has no action 'DescribeInstancez' in AWS's IAM data; did you mean " +
        "'ec2:DescribeInstances'?",
    ]);
    expect((await messages('route53:ChangeResourceRecordSet'))[0]).toMatch(/did you mean 'route53:ChangeResourceRecordSets'\?$/);
  });

  it('says where to look when no action is near', async () => {
    expect((await messages('ec2:Frobnicate'))[0]).toBe(
      "unknown action 'ec2:Frobnicate': ec2 has no action 'Frobnicate' in AWS's IAM data; see the ec2 actions in the AWS Service " +
        'Authorization Reference',
    );
  });

  it('names an unknown service and suggests the real one', async () => {
    expect(await messages('ec3:DescribeInstances', 'zzzzqqq:Get')).toEqual([
      "unknown service 'ec3' in action 'ec3:DescribeInstances' (not in AWS's IAM data); did you mean 'ec2:DescribeInstances'?",
      "unknown service 'zzzzqqq' in action 'zzzzqqq:Get' (not in AWS's IAM data); check the service prefix in the AWS Service " +
        'Authorization Reference',
    ]);
  });

  it('rejects a wildcard that matches no action, suggesting a corrected prefix when there is one', async () => {
    expect(await messages('ec2:Describez*', 's3:Get*Zzz')).toEqual([
      "'ec2:Describez*' matches no ec2 action in AWS's IAM data; did you mean 'ec2:Describe*'?",
      "'s3:Get*Zzz' matches no s3 action in AWS's IAM data; write a pattern that matches a real s3 action, or 's3:*' for all of them",
    ]);
  });

  it('says precisely what is wrong with something that is not service:Action', async () => {
    expect(
      await messages(
        'DescribeInstances',
        'ec2: DescribeInstances',
        '*:Describe*',
        'arn:aws:s3:::b',
        's3:',
        ':Get',
        'a:b:c',
        'ec2:Describe.Instances',
      ),
    ).toEqual([
      "'DescribeInstances' has no service prefix; write service:ActionName, e.g. ec2:DescribeInstances (wildcards * and ? allowed in " +
        'the name)',
      "'ec2: DescribeInstances' contains whitespace; write service:ActionName, e.g. ec2:DescribeInstances (wildcards * and ? allowed " +
        'in the name)',
      "'*:Describe*' has a wildcard in the service prefix; IAM allows wildcards only in the action name (or '*' alone for every action)",
      "'arn:aws:s3:::b' is an ARN, not an action: ARNs go in Resource; an action is service:ActionName, e.g. ec2:DescribeInstances",
      "'s3:' has no action name after ':'; write e.g. 's3:*' for every s3 action",
      "':Get' has no service before ':'; write service:ActionName, e.g. ec2:DescribeInstances (wildcards * and ? allowed in the name)",
      "'a:b:c' has more than one ':'; write service:ActionName, e.g. ec2:DescribeInstances (wildcards * and ? allowed in the name)",
      "'ec2:Describe.Instances' is not an IAM action: only letters, digits and the wildcards * and ? may follow 'ec2:'",
    ]);
  });

  it('reports at the position and path of each action', async () => {
    const report = new Report();
    await checkActions([{ action: 'ec2:Nope', path: 'spec.x[0].Action', pos: { file: 'in.yaml', line: 7, col: 21 } }], report);
    expect(report.diagnostics).toMatchObject([
      { code: 'KI314', file: 'in.yaml', line: 7, col: 21, path: 'spec.x[0].Action', severity: 'error' },
    ]);
  });

  it('checks each distinct action once, and reports it at every place it is written', async () => {
    const report = new Report();
    const at = (line: number) => ({ path: `spec.x[${line}]`, pos: { file: 'in.yaml', line, col: 3 } });
    const uses = [1, 2, 3, 4].flatMap((line) => [
      { action: 'ec2:Nope', ...at(line) },
      { action: 'ec2:DescribeInstances', ...at(line) },
      { action: 'EC2:describeinstances', ...at(line) },
    ]);
    await checkActions(uses, report);
    expect(report.diagnostics.map((d) => [d.code, d.line, d.path])).toEqual([1, 2, 3, 4].map((l) => ['KI314', l, `spec.x[${l}]`]));
    expect(new Set(report.diagnostics.map((d) => d.message)).size).toBe(1);
  });

  it('gives KI313 to malformed actions and KI314 to unknown services and actions', async () => {
    expect(await codes('DescribeInstances', 'ec2:Describe.Instances', 'ec3:DescribeInstances', 'ec2:Frobnicate', 'ec2:Describez*')).toEqual(
      ['KI313', 'KI313', 'KI314', 'KI314', 'KI314'],
    );
  });

  it('reports names of Object.prototype as unknown services, never looking them up on an object', async () => {
    const found = await check('constructor:get', '__proto__:x', 'toString:Get', 'hasOwnProperty:*');
    expect(found.map((d) => d?.code)).toEqual(['KI314', 'KI313', 'KI314', 'KI314']);
    expect(found[0]?.message).toMatch(/^unknown service 'constructor' in action 'constructor:get' \(not in AWS's IAM data\)/);
    expect(found[2]?.message).toMatch(/^unknown service 'toString' in action 'toString:Get'/);
    expect(await expandAction('constructor:*')).toEqual([]);
    expect(await serviceActionCount('constructor')).toBe(0);
  });
});

describe('expandAction', () => {
  it('lists the actions a pattern matches, with the service in lower case', async () => {
    const describe = await expandAction('EC2:DescribeInstance*');
    expect(describe).toContain('ec2:DescribeInstances');
    expect(describe).toContain('ec2:DescribeInstanceStatus');
    expect(describe.every((a) => a.startsWith('ec2:DescribeInstance'))).toBe(true);
    expect(await expandAction('s3:GetObject')).toEqual(['s3:GetObject']);
  });

  it('gives nothing for an unknown service or a malformed pattern', async () => {
    expect(await expandAction('ec3:*')).toEqual([]);
    expect(await expandAction('nonsense')).toEqual([]);
  });

  it("counts a service's actions, 0 for an unknown service", async () => {
    expect(await serviceActionCount('ec2')).toBeGreaterThan(500);
    expect(await serviceActionCount('ec3')).toBe(0);
  });
});

describe('wildcardRegExp', () => {
  it('reads * as any run and ? as one character, case-insensitively', () => {
    expect(wildcardRegExp('Describe*').test('describeinstances')).toBe(true);
    expect(wildcardRegExp('Get?bject').test('GetObject')).toBe(true);
    expect(wildcardRegExp('Get?bject').test('GetOObject')).toBe(false);
    expect(wildcardRegExp('*').test('')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardRegExp('a.b').test('axb')).toBe(false);
    expect(wildcardRegExp('a(b)+').test('a(b)+')).toBe(true);
  });
});
