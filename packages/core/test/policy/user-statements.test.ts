import { describe, expect, it } from 'vitest';
import { Report } from '../../src/diagnostics/report';
import { parseJsonTree } from '../../src/input/json-tree';
import { partitionOf, type Partition } from '../../src/cluster/partition';
import { policyTreeFromJson } from '../../src/policy/policy-tree';
import { renderPolicyText } from '../../src/policy/render';
import { readUserStatements } from '../../src/policy/user-statements';
import { clusterYaml, codesOf, errorsOf, load, spellRef } from '../helpers';

/** Checks a JSON statement list; positions are `col = offset + 1` on line 1, so tests can find them with indexOf. */
function check(json: string, partition: Partition | 'unknown' = partitionOf('eu-central-1')) {
  const parsed = parseJsonTree(json);
  if (!parsed.ok) throw new Error(`bad test JSON: ${parsed.message}`);
  const report = new Report();
  const tree = policyTreeFromJson(parsed.value, 'p', (offset) => ({ file: 'f', line: 1, col: offset + 1 }));
  const ctx = { field: 'additionalPolicies' as const, partition: partition === 'unknown' ? undefined : partition };
  const result = readUserStatements(tree, ctx, report);
  const errors = errorsOf(report.diagnostics);
  return { ...result, errors, codes: codesOf(errors) };
}

/** The statements that passed, rendered as IAM JSON and parsed back. */
function rendered(r: ReturnType<typeof check>): unknown {
  return (JSON.parse(renderPolicyText({ statements: r.statements }, spellRef)) as { Statement: unknown }).Statement;
}

const OK = '"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"';

describe('checkStatements: a valid list', () => {
  it('passes every statement through whole, with Sid, NotAction, NotResource and Condition kept', () => {
    const json =
      `[{"Sid": "A1", "Effect": "Deny", "NotAction": ["s3:*"], "NotResource": "arn:aws:s3:::b/*", "Condition": {"Bool": ` +
      `{"aws:SecureTransport": false}}}, {${OK}}]`;
    const r = check(json);
    expect(r.errors).toEqual([]);
    expect(rendered(r)).toEqual(JSON.parse(json));
    expect(r.actions.map((a) => a.action)).toEqual(['s3:*', 's3:GetObject']);
    expect(r.statements.map((s) => s.origin)).toEqual([
      { source: 'user', field: 'additionalPolicies', at: { pos: { file: 'f', line: 1, col: 2 }, path: 'p[0]' }, index: 0 },
      {
        source: 'user',
        field: 'additionalPolicies',
        at: { pos: { file: 'f', line: 1, col: json.lastIndexOf('{') + 1 }, path: 'p[1]' },
        index: 1,
      },
    ]);
  });

  it('collects each action with its path and position for the IAM data lookup', () => {
    const json = `[{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:Describe*"], "Resource": "*"}]`;
    const r = check(json);
    expect(r.actions).toEqual([
      {
        action: 'ec2:DescribeInstances',
        path: 'p[0].Action[0]',
        pos: { file: 'f', line: 1, col: json.indexOf('"ec2:DescribeInstances"') + 1 },
      },
      { action: 'ec2:Describe*', path: 'p[0].Action[1]', pos: { file: 'f', line: 1, col: json.indexOf('"ec2:Describe*"') + 1 } },
    ]);
  });
});

describe('checkStatements: the list itself', () => {
  it('names a whole policy document and says to keep only its Statement list', () => {
    const r = check(`{"Version": "2012-10-17", "Statement": [{${OK}}]}`);
    expect(r.codes).toEqual(['KI306']);
    expect(r.errors[0]!.message).toMatch(/found a whole policy document; write only its Statement list/);
  });

  it('names a single statement and says to wrap it in a list', () => {
    expect(check(`{${OK}}`).errors[0]).toMatchObject({
      code: 'KI306',
      message: expect.stringMatching(/found a single statement; wrap it in \[ ... \]/),
    });
  });

  it('rejects a string or a number where the list should be', () => {
    expect(check('"s3:GetObject"').errors[0]!.message).toMatch(/expected a list of IAM statements .* found a string/);
    expect(check('7').errors[0]).toMatchObject({ code: 'KI306', message: expect.stringMatching(/found a number$/) });
  });

  it('rejects an item that is not an object, and keeps checking the others', () => {
    const r = check(`["s3:GetObject", {"Effect": "Allow", "Action": "s3:GetObject"}]`);
    expect(r.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      ['KI307', 'p[0]', 'a statement must be an object with Effect, Action and Resource, found a string'],
      ['KI312', 'p[1]', 'missing Resource; a statement needs Resource or NotResource, e.g. "Resource": ["*"]'],
    ]);
    expect(r.statements).toEqual([]);
  });
});

describe('checkStatements: Effect, Action, Resource', () => {
  it('requires Effect, Action and Resource, at the statement', () => {
    const r = check('[{"Sid": "X"}]');
    expect(r.errors.map((e) => e.message)).toEqual([
      'missing Effect; add "Effect": "Allow" (or "Deny")',
      'missing Action; a statement needs Action or NotAction, e.g. "Action": ["ec2:DescribeInstances"]',
      'missing Resource; a statement needs Resource or NotResource, e.g. "Resource": ["*"]',
    ]);
    expect(r.errors.every((e) => e.col === 2 && e.path === 'p[0]')).toBe(true);
    expect(r.codes).toEqual(['KI311', 'KI312', 'KI312']);
  });

  it('takes Effect Allow or Deny only, with a case hint for allow/DENY', () => {
    expect(check(`[{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]`).errors[0]!.message).toBe(
      'Effect must be "Allow" or "Deny", found "allow"; IAM is case-sensitive here: write "Allow"',
    );
    expect(check(`[{"Effect": "DENY", "Action": "s3:GetObject", "Resource": "*"}]`).errors[0]!.message).toMatch(/write "Deny"/);
    expect(check(`[{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]`).errors[0]!.message).toBe(
      'Effect must be "Allow" or "Deny", found "Permit"',
    );
    expect(check(`[{"Effect": true, "Action": "s3:GetObject", "Resource": "*"}]`).errors[0]).toMatchObject({
      code: 'KI311',
      message: 'Effect must be "Allow" or "Deny", found true',
    });
  });

  it('refuses Action with NotAction and Resource with NotResource, at the second key', () => {
    const json =
      `[{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*", "NotResource": ` + `"arn:aws:s3:::b"}]`;
    const r = check(json);
    expect(r.codes).toEqual(['KI312', 'KI312']);
    expect(r.errors.map((e) => [e.path, e.col, e.message])).toEqual([
      ['p[0].NotAction', json.indexOf('"NotAction"') + 1, 'a statement has either Action or NotAction, not both; remove one of them'],
      [
        'p[0].NotResource',
        json.indexOf('"NotResource"') + 1,
        'a statement has either Resource or NotResource, not both; remove one of them',
      ],
    ]);
  });

  it('requires non-empty strings or non-empty flat lists of them', () => {
    const r = check(`[{"Effect": "Allow", "Action": [], "Resource": ["*", "", 3, ["x"]]}]`);
    expect(r.codes).toEqual(['KI312', 'KI312', 'KI312', 'KI312']);
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ['p[0].Action', 'Action must not be an empty list; IAM rejects a statement that names nothing'],
      ['p[0].Resource[1]', 'Resource must be a non-empty string or a list of them, found an empty string'],
      ['p[0].Resource[2]', 'Resource must be a non-empty string or a list of them, found a number'],
      ['p[0].Resource[3]', 'Resource must be a flat list of strings, found a nested list'],
    ]);
  });

  it('checks Resource ARNs: shape, service, and the partition of the cluster', () => {
    const json =
      `[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["bucket/*", "arn:aws-cn:s3:::b/*", "arn:aws::r:1:x", ` +
      `"arn:aws:s3", "arn:*:s3:::b", "arn:aws:s3:::b"]}]`;
    const r = check(json);
    expect(r.codes).toEqual(['KI315', 'KI315', 'KI315', 'KI315']);
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ['p[0].Resource[0]', `'bucket/*' is not a resource ARN; write "*" or an ARN, arn:aws:<service>:<region>:<account>:<resource>`],
      ['p[0].Resource[1]', "ARN partition 'aws-cn' does not match the cluster's partition 'aws'; write arn:aws:s3:::b/*"],
      ['p[0].Resource[2]', "ARN 'arn:aws::r:1:x' has no service (the third part, e.g. arn:aws:s3:::my-bucket)"],
      ['p[0].Resource[3]', "'arn:aws:s3' is not a resource ARN; an ARN has six parts, arn:partition:service:region:account:resource"],
    ]);
  });

  it('uses the partition of a China region in its advice', () => {
    const r = check(`[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}]`, partitionOf('cn-north-1'));
    expect(r.errors[0]!.message).toBe("ARN partition 'aws' does not match the cluster's partition 'aws-cn'; write arn:aws-cn:s3:::b");
  });

  it('skips the partition comparison when the region is unknown (already reported elsewhere)', () => {
    expect(check(`[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::b"}]`, 'unknown').errors).toEqual([]);
  });
});

describe('checkStatements: keys', () => {
  it('refuses Principal and NotPrincipal, which an identity policy cannot have', () => {
    const json = `[{${OK}, "Principal": "*"}, {${OK}, "NotPrincipal": {"AWS": "x"}}]`;
    const r = check(json);
    expect(r.errors.map((e) => [e.path, e.col])).toEqual([
      ['p[0].Principal', json.indexOf('"Principal"') + 1],
      ['p[1].NotPrincipal', json.indexOf('"NotPrincipal"') + 1],
    ]);
    expect(r.codes).toEqual(['KI308', 'KI308']);
    expect(r.errors[0]!.message).toMatch(/^Principal is not allowed here: .*identity policy.*; remove Principal$/);
  });

  it('gives a case hint for a key written in the wrong case, and does not also say the key is missing', () => {
    const r = check(`[{"effect": "Allow", "action": "s3:GetObject", "RESOURCE": "*"}]`);
    expect(r.codes).toEqual(['KI308', 'KI308', 'KI308']);
    expect(r.errors.map((e) => e.message)).toEqual([
      "unknown statement key 'effect'; IAM keys are case-sensitive: write 'Effect'",
      "unknown statement key 'action'; IAM keys are case-sensitive: write 'Action'",
      "unknown statement key 'RESOURCE'; IAM keys are case-sensitive: write 'Resource'",
    ]);
  });

  it('suggests the key for a misspelling or a plural', () => {
    const r = check(`[{"Effect": "Allow", "Actions": "s3:GetObject", "Resources": "*", "Condtion": {}}]`);
    expect(r.errors.map((e) => e.message)).toEqual([
      "unknown statement key 'Actions'; did you mean 'Action'?",
      "unknown statement key 'Resources'; did you mean 'Resource'?",
      "unknown statement key 'Condtion'; did you mean 'Condition'?",
    ]);
  });

  it('lists the allowed keys for a key that is nothing like them', () => {
    expect(check(`[{${OK}, "Comment": "x"}]`).errors[0]!.message).toBe(
      "unknown statement key 'Comment'; a statement may have only Sid, Effect, Action, NotAction, Resource, NotResource, Condition",
    );
  });

  it('says Version belongs to the document that kops-iam writes', () => {
    expect(check(`[{${OK}, "Version": "2012-10-17"}]`).errors[0]!.message).toMatch(
      /'Version' belongs to a policy document, not to a statement/,
    );
  });

  it('reports a key written twice, at the second one', () => {
    const json = `[{${OK}, "Effect": "Deny"}]`;
    const r = check(json);
    expect(r.codes).toEqual(['KI309']);
    expect(r.errors[0]).toMatchObject({ path: 'p[0].Effect', col: json.lastIndexOf('"Effect"') + 1 });
    expect(r.errors[0]!.message).toMatch(/duplicate key 'Effect'/);
  });
});

describe('checkStatements: Sid', () => {
  it('allows letters and digits only, naming the bad character and a fixed Sid', () => {
    expect(check(`[{"Sid": "read-logs_1", ${OK}}]`).errors[0]!.message).toBe(
      "Sid 'read-logs_1' has the character \"-\"; IAM allows only ASCII letters and digits (A-Z, a-z, 0-9) in a Sid, e.g. 'readlogs1'",
    );
    expect(check(`[{"Sid": "Café", ${OK}}]`).errors[0]).toMatchObject({
      code: 'KI310',
      message: expect.stringMatching(/the character "é"/),
    });
  });

  it('requires Sids to be unique in the policy, pointing back at the first', () => {
    const json = `[{"Sid": "A", ${OK}}, {"Sid": "B", ${OK}}, {"Sid": "A", ${OK}}]`;
    const r = check(json);
    expect(r.codes).toEqual(['KI310']);
    expect(r.errors[0]).toMatchObject({ path: 'p[2].Sid', col: json.lastIndexOf('"A"') + 1 });
    expect(r.errors[0]!.message).toBe("Sid 'A' is already used by p[0].Sid; Sids must be unique within a policy");
  });

  it('accepts an empty Sid, and several of them', () => {
    expect(check(`[{"Sid": "", ${OK}}, {"Sid": "", ${OK}}]`).errors).toEqual([]);
  });

  it('rejects a Sid that is not a string', () => {
    expect(check(`[{"Sid": 1, ${OK}}]`).errors[0]!.message).toBe('Sid must be a string of letters and digits, found a number');
  });
});

describe('checkStatements: Condition', () => {
  const withCondition = (condition: string) => check(`[{${OK}, "Condition": ${condition}}]`);

  it('accepts operators mapping keys to strings, numbers, booleans and lists of them', () => {
    const r = withCondition(
      '{"StringLike": {"s3:prefix": ["a/*", "b/*"]}, "NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}, ' +
        '"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "x"}}',
    );
    expect(r.errors).toEqual([]);
  });

  it('must be a non-empty map', () => {
    expect(withCondition('["StringEquals"]').errors[0]!.message).toMatch(
      /^Condition must be a map of operator to \{condition key: value\}.*found a list$/,
    );
    expect(withCondition('{}').errors[0]!.message).toBe('Condition must not be empty; remove it or add an operator');
  });

  it('suggests the operator for a typo', () => {
    const r = withCondition('{"StringEqual": {"a:b": "c"}, "stringlike": {"a:b": "c"}, "Frobnicate": {"a:b": "c"}}');
    expect(r.codes).toEqual(['KI316', 'KI316', 'KI316']);
    expect(r.errors.map((e) => e.message)).toEqual([
      "unknown condition operator 'StringEqual'; did you mean 'StringEquals'?",
      "unknown condition operator 'stringlike'; did you mean 'StringLike'?",
      `unknown condition operator 'Frobnicate'; see "IAM JSON policy elements: Condition operators"`,
    ]);
  });

  it('requires each operator to map condition keys to values', () => {
    const r = withCondition(
      '{"Bool": "true", "StringEquals": {}, "StringLike": {"a:b": null}, "ArnLike": {"a:b": []}, "ArnEquals": {"": "x"}}',
    );
    expect(r.codes).toEqual(['KI316', 'KI316', 'KI316', 'KI316', 'KI316']);
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      [
        'p[0].Condition.Bool',
        `condition operator 'Bool' must map condition keys to values, e.g. {"aws:RequestedRegion": "eu-central-1"}; found a string`,
      ],
      [
        'p[0].Condition.StringEquals',
        `condition operator 'StringEquals' must map condition keys to values, e.g. {"aws:RequestedRegion": "eu-central-1"}; found an ` +
          `empty object`,
      ],
      ['p[0].Condition.StringLike["a:b"]', 'condition values must be a string, number, boolean or a non-empty list of them, found null'],
      [
        'p[0].Condition.ArnLike["a:b"]',
        'condition values must be a string, number, boolean or a non-empty list of them, found an empty list',
      ],
      ['p[0].Condition.ArnEquals[""]', 'a condition key must not be empty; write e.g. "aws:RequestedRegion"'],
    ]);
  });
});

describe('statement checks through loadPlans', () => {
  it('reports statement errors and action errors of the same cluster in one run', async () => {
    const extra = [
      '  additionalPolicies:',
      '    node: |',
      '      [{"Effect": "allow", "Action": "ec2:DescribeInstancez", "Resource": "*"}]',
    ].join('\n');
    const r = await load(clusterYaml('s.example.com', extra));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics).map((e) => [e.code, e.path])).toEqual([
      ['KI311', 'spec.additionalPolicies.node[0].Effect'],
      ['KI314', 'spec.additionalPolicies.node[0].Action'],
    ]);
  });

  it('checks the actions of a cluster whose region is missing too', async () => {
    const text = [
      'metadata:',
      '  name: s.example.com',
      'spec:',
      '  cloudProvider: aws',
      '  additionalPolicies:',
      '    node: |',
      '      [{"Effect": "Allow", "Action": "ec2:DescribeInstancez", "Resource": "*"}]',
    ].join('\n');
    const r = await load(text);
    expect(errorsOf(r.diagnostics).map((e) => [e.code, e.message])).toEqual([
      ['KI202', expect.stringMatching(/^no availability zone/)],
      ['KI314', expect.stringMatching(/did you mean 'ec2:DescribeInstances'\?$/)],
    ]);
  });

  it("reports an action named after Object.prototype's members as unknown, instead of crashing", async () => {
    const extra = [
      '  additionalPolicies:',
      '    node: |',
      '      [{"Effect": "Allow", "Action": "constructor:get", "Resource": "*"}]',
    ].join('\n');
    const r = await load(clusterYaml('s.example.com', extra));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI314',
        line: 12,
        col: 38,
        path: 'spec.additionalPolicies.node[0].Action',
        message: expect.stringMatching(/^unknown service 'constructor' in action 'constructor:get'/),
      }),
    ]);
  });
});

describe('readUserStatements: values kept as written', () => {
  it('keeps numbers as written: 1e400 and a 24-digit integer reach IAM unchanged', () => {
    const json = `[{${OK}, "Condition": {"NumericLessThan": {"s3:max-keys": 1e400, "x:big": [123456789012345678901234, 1.50]}}}]`;
    const r = check(json);
    expect(r.errors).toEqual([]);
    expect(r.statements[0]?.condition).toEqual([
      {
        operator: 'NumericLessThan',
        entries: [
          { key: 's3:max-keys', values: [{ number: '1e400' }], list: false },
          { key: 'x:big', values: [{ number: '123456789012345678901234' }, { number: '1.50' }], list: true },
        ],
      },
    ]);
    expect(renderPolicyText({ statements: r.statements }, spellRef)).toContain(
      '"Condition":{"NumericLessThan":{"s3:max-keys":1e400,"x:big":[123456789012345678901234,1.50]}}',
    );
  });

  it('keeps a single value a string and a list a list, as written', () => {
    const r = check('[{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]');
    expect(r.statements[0]?.action).toEqual({ values: ['s3:GetObject'], list: true });
    expect(r.statements[0]?.resource).toEqual({ values: ['*'] });
  });

  it('rejects a condition key written twice under one operator, at the second (KI316)', () => {
    const json = `[{${OK}, "Condition": {"StringEquals": {"aws:username": "a", "aws:username": "b"}}}]`;
    const r = check(json);
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'KI316',
        path: 'p[0].Condition.StringEquals["aws:username"]',
        col: json.lastIndexOf('"aws:username"') + 1,
        message:
          "duplicate condition key 'aws:username' under 'StringEquals'; JSON parsers would keep only the last one — merge their values " +
          'into one list',
      }),
    ]);
    expect(r.statements).toEqual([]);
  });

  it('rejects a condition operator written twice (KI316)', () => {
    const r = check(`[{${OK}, "Condition": {"Bool": {"a:b": true}, "Bool": {"c:d": false}}}]`);
    expect(r.errors).toMatchObject([
      { code: 'KI316', path: 'p[0].Condition.Bool', message: expect.stringMatching(/^duplicate condition operator 'Bool'/) },
    ]);
  });

  it.each([
    ['a line break', '"arn:aws:s3:::b\\nx"'],
    ['a NUL', '"arn:aws:s3:::b\\u0000x"'],
    ['a BEL', '"arn:aws:s3:::b\\u0007x"'],
    ['a tab', '"arn:aws:s3:::b\\tx"'],
  ])('rejects %s inside a resource ARN (KI315)', (_what, written) => {
    const r = check(`[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ${written}}]`);
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'KI315',
        path: 'p[0].Resource',
        message:
          `${JSON.stringify(JSON.parse(written))} holds a control character (a line break, tab, NUL…); an ARN never does — ` + `remove it`,
      }),
    ]);
    expect(r.statements).toEqual([]);
  });
});
