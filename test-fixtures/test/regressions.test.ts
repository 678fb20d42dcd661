// End-to-end regression tests for the findings of issue 10 about what kops-iam writes (or
// must refuse to write), each named after what it guards, run through the command line.
// Unit tests of @kops-iam/core (packages/core/test) check the same rules on the model; these
// check what reaches cdk.tf.json, the exit status, and that a refused input writes nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyStatements, roleArgs } from '../src/escaping/stack-queries';
import { runBuiltCli, runInline, seedCluster, writtenStack, type InlineRun } from '../src/inline-run';

const CLUSTER = 'r.example.com';

/** A refused input: exit 1, an error line per problem, the summary, and nothing written (not even the output's parent). */
function expectRefused(run: InlineRun, ...errors: RegExp[]): void {
  expect(run.exitCode, run.stderr).toBe(1);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  for (const e of errors)
    expect(
      run.errors.some((l) => e.test(l)),
      `${e} in:\n${run.stderr}`,
    ).toBe(true);
  expect(run.stderr).toMatch(/^kops-iam: \d+ errors?; nothing written$/m);
  expect(run.outCreated, 'a refused input creates nothing').toBe(false);
}

const nodePolicy = (json: string) => ['  additionalPolicies:', '    node: |', `      ${json}`];
/** A JSON policy of one statement with this Condition. */
const withCondition = (condition: string) => `[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": ${condition}}]`;

describe('prototype names never act as IAM data or roles', () => {
  it('"Action": "constructor:get" (and toString:…, __proto__:…) is a clean unknown-service error, not a crash', async () => {
    for (const action of ['constructor:get', 'toString:Get', '__proto__:x', 'hasOwnProperty:*']) {
      const run = await runInline('synth', {
        'c.yaml': seedCluster(nodePolicy(`[{"Effect": "Allow", "Action": "${action}", "Resource": "*"}]`)),
      });
      expectRefused(run, new RegExp(`Action: .*'${action.replace('*', '\\*')}'`));
    }
  });

  it('InstanceGroup roles constructor, toString and __proto__ are refused (no stack without roles is written)', async () => {
    const group = (name: string, role: string) => [
      '---',
      'apiVersion: kops.k8s.io/v1alpha2',
      'kind: InstanceGroup',
      `metadata: {name: ${name}, labels: {kops.k8s.io/cluster: ${CLUSTER}}}`,
      `spec: {role: ${role}}`,
    ];
    const text = [seedCluster(), ...group('a', 'constructor'), ...group('b', 'toString'), ...group('c', '__proto__'), ''].join('\n');
    const run = await runInline('synth', { 'c.yaml': text });
    expectRefused(
      run,
      /unknown InstanceGroup role 'constructor'/,
      /unknown InstanceGroup role 'toString'/,
      /unknown InstanceGroup role '__proto__'/,
    );
  });
});

describe('policy values reach IAM as written', () => {
  it('YAML-list policies keep scalar text: 2030-01-01T00:00:00Z, 012345670123, .inf, 0o17, yes kept, any time zone', async () => {
    const spec = [
      '  additionalPolicies:',
      '    node:',
      '    - Effect: Allow',
      '      Action: s3:GetObject',
      '      Resource: "*"',
      '      Condition:',
      '        DateLessThan: {aws:CurrentTime: 2030-01-01T00:00:00Z}',
      '        StringEquals: {aws:PrincipalAccount: 012345670123, s3:x: .inf, s3:y: 0o17, s3:z: yes, s3:w: 1_000}',
    ];
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    let run: InlineRun;
    try {
      run = await runInline('synth', { 'c.yaml': seedCluster(spec) });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(run.exitCode, run.stderr).toBe(0);
    const [s] = policyStatements(writtenStack(run, CLUSTER), 'additional.nodes.');
    expect(s?.Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
      StringEquals: { 'aws:PrincipalAccount': '012345670123', 's3:x': '.inf', 's3:y': '0o17', 's3:z': 'yes', 's3:w': '1_000' },
    });
  });

  it('JSON numbers are kept as written: 1e400 is not null and a 24-digit integer is not rounded', async () => {
    const json = withCondition('{"NumericLessThan": {"s3:max-keys": 1e400, "s3:x": 123456789012345678901234}}');
    const run = await runInline('synth', { 'c.yaml': seedCluster(nodePolicy(json)) });
    expect(run.exitCode, run.stderr).toBe(0);
    const policy = Object.values(writtenStack(run, CLUSTER).resource.aws_iam_role_policy ?? {}).find((p) =>
      String(p.name).startsWith('additional.'),
    );
    expect(String(policy?.policy)).toContain('"NumericLessThan":{"s3:max-keys":1e400,"s3:x":123456789012345678901234}');
  });

  it('duplicate condition keys and operators are refused, in JSON and in YAML-list policies, not silently merged', async () => {
    const json = withCondition('{"StringEquals": {"aws:username": "a", "aws:username": "b"}}');
    expectRefused(await runInline('synth', { 'c.yaml': seedCluster(nodePolicy(json)) }), /duplicate condition key 'aws:username'/);
    const operators = withCondition('{"Bool": {"aws:SecureTransport": "true"}, "Bool": {"aws:x": "y"}}');
    expectRefused(await runInline('synth', { 'c.yaml': seedCluster(nodePolicy(operators)) }), /duplicate condition operator 'Bool'/);
    const yaml = [
      '  additionalPolicies:',
      '    node:',
      '    - {Effect: Allow, Action: s3:GetObject, Resource: "*", Condition: {StringEquals: {aws:username: a, aws:username: b}}}',
    ];
    expectRefused(await runInline('synth', { 'c.yaml': seedCluster(yaml) }), /duplicate key 'aws:username'/);
  });
});

describe('the manifest is read as kops reads it', () => {
  it('a << merge key in spec is followed: the merged additionalPolicies and cloudLabels are written, not dropped', async () => {
    const text = [
      'base: &base',
      '  additionalPolicies:',
      '    node: \'[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::merged-bucket/*"}]\'',
      '  cloudLabels: {team: merged}',
      seedCluster(['  <<: *base']).trimEnd(),
      '',
    ].join('\n');
    const run = await runInline('synth', { 'c.yaml': text });
    expect(run.exitCode, run.stderr).toBe(0);
    const stack = writtenStack(run, CLUSTER);
    expect(policyStatements(stack, 'additional.nodes.').map((s) => s.Resource)).toEqual(['arn:aws:s3:::merged-bucket/*']);
    for (const role of roleArgs(stack)) expect((role.tags as Record<string, string>).team).toBe('merged');
  });

  it('topology: {bastion: false} creates no bastion role; a bastion setting does', async () => {
    const none = await runInline('synth', { 'c.yaml': seedCluster(['  topology:', '    bastion: false']) });
    expect(none.exitCode, none.stderr).toBe(0);
    expect(roleArgs(writtenStack(none, CLUSTER)).map((r) => r.name)).toEqual([`masters.${CLUSTER}`, `nodes.${CLUSTER}`]);
    const some = await runInline('synth', {
      'c.yaml': seedCluster(['  topology:', '    bastion: {bastionPublicName: bastion.r.example.com}']),
    });
    expect(roleArgs(writtenStack(some, CLUSTER)).map((r) => r.name)).toContain(`bastions.${CLUSTER}`);
  });
});

describe('what AWS would refuse at apply time is refused now, and nothing is written', () => {
  it('a tag key over 128 characters is refused; one of 128 is written exactly', async () => {
    const long = await runInline('synth', { 'c.yaml': seedCluster(['  cloudLabels:', `    ${'k'.repeat(129)}: v`]) });
    expectRefused(long, /a tag key has 1-128 characters, this one 129/);
    const max = await runInline('synth', { 'c.yaml': seedCluster(['  cloudLabels:', `    ${'k'.repeat(128)}: v`]) });
    expect(max.exitCode, max.stderr).toBe(0);
    expect((roleArgs(writtenStack(max, CLUSTER))[0]?.tags as Record<string, string>)['k'.repeat(128)]).toBe('v');
  });

  it('a cloud label whose key is // is written as a tag: Terraform reads // as a comment only in a block body', async () => {
    const run = await runInline('synth', { 'c.yaml': seedCluster(['  cloudLabels:', '    "//": kept', '    team: a']) });
    expect(run.exitCode, run.stderr).toBe(0);
    const stack = writtenStack(run, CLUSTER);
    const bodies = Object.values(stack.resource as Record<string, Record<string, { tags?: object }>>).flatMap((r) => Object.values(r));
    const tagged = bodies.filter((body) => body.tags !== undefined);
    expect(tagged.length).toBeGreaterThanOrEqual(roleArgs(stack).length + 2); // the roles and the instance profiles
    for (const body of tagged) expect(body.tags).toMatchObject({ '//': 'kept', team: 'a' });
  });

  it.each([
    ['a newline', '\\n'],
    ['a NUL', '\\0'],
    ['a BEL', '\\a'],
  ])(
    '%s inside an ARN is refused in every ARN field (customPolicies, permissionsBoundary, externalPolicies, Resource)',
    async (_what, c) => {
      const fields = [
        ['  customPolicies:', `    master: "arn:aws:iam::123456789012:role/pa${c}th/kops-master"`],
        ['  iam:', `    permissionsBoundary: "arn:aws:iam::123456789012:policy/b${c}x/boundary"`],
        ['  externalPolicies:', `    node: ["arn:aws:iam::123456789012:policy/x/p${c}"]`],
        ['  additionalPolicies:', '    node:', `    - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/${c}x"}`],
      ];
      for (const spec of fields)
        expectRefused(await runInline('synth', { 'c.yaml': seedCluster(spec) }, '+CustomPoliciesSupport'), / error: /);
    },
  );
});

describe('resource limits: hostile sizes end in an error line, quickly', () => {
  it('an 11 MB alias-amplification file ends with an error line within 10 s of CPU (no out-of-memory crash, no hang)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kops-iam-aliases-'));
    try {
      const levels = ['  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 10; i += 1)
        levels.push(
          `  a${i}: &a${i} [${Array(10)
            .fill(`*a${i - 1}`)
            .join(', ')}]`,
        );
      const head = `${seedCluster(levels).trimEnd()}\n  pad:\n`;
      const line = '  - [*a9, *a9, *a9, *a9, *a9, *a9, *a9, *a9]\n';
      writeFileSync(join(dir, 'bomb.yaml'), head + line.repeat(Math.ceil((11 * 1024 * 1024 - head.length) / line.length)));
      // A hang is stopped after a minute of wall time; the limit is on the command's own CPU time.
      const run = await runBuiltCli(['validate', 'bomb.yaml'], dir, 60_000, ['--max-old-space-size=2048']);
      expect(run.timedOut, `still running after ${run.ms} ms`).toBe(false);
      expect({ code: run.code, signal: run.signal }, run.stderr.slice(0, 2000)).toEqual({ code: 1, signal: null });
      expect(run.stderr).toMatch(/^bomb\.yaml:\d+:\d+: error: /m);
      expect(run.cpuMs, 'CPU ms').toBeLessThan(10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it.each([
    [
      'one statement with 2 MB of resources',
      (i: number) => `        "arn:aws:s3:::bucket-${i}/some/longer/path/${i}/*"`,
      (body: string) => `[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [\n${body}\n      ]}]`,
    ],
    [
      '2 MB of statements',
      (i: number) => `        {"Sid": "S${i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b-${i}/*"}`,
      (body: string) => `[\n${body}\n      ]`,
    ],
  ])(
    '2 MB of JSON in a | block is read in linear time, well under 2 s of CPU (%s)',
    async (_what, item, wrap) => {
      const items: string[] = [];
      for (let i = 0, size = 0; size < 2 * 1024 * 1024; i += 1) size += (items[items.push(item(i)) - 1] as string).length + 2;
      const run = await runInline('validate', {
        'c.yaml': seedCluster(['  additionalPolicies:', '    node: |', `      ${wrap(items.join(',\n'))}`]),
      });
      expect(run.exitCode).toBe(1); // far over AWS's 10,240 characters of inline policy per role
      expect(run.errors.join('\n')).toMatch(/AWS allows 10,240 per role/);
      expect(run.cpuMs, 'CPU ms for 2 MB').toBeLessThan(2000);
    },
    60_000,
  );
});

describe('messages say what was written', () => {
  it('name: 1e3 says the name must be a string, and the cluster’s other errors are still reported', async () => {
    const text = seedCluster(['  configBase: gs://bucket/x', '  additionalPolicies:', '    nodez: "[]"']).replace(
      `name: ${CLUSTER}`,
      'name: 1e3',
    );
    expectRefused(
      await runInline('validate', { 'c.yaml': text }),
      /metadata\.name: a cluster's name must be a string .*found the number 1e3/,
      /spec\.configBase: the 'gs:\/\/' scheme is not supported/,
      /spec\.additionalPolicies\.nodez: unknown role 'nodez'/,
    );
  });

  it("zone: no is quoted as written ('no'), not as the boolean false", async () => {
    const run = await runInline('synth', { 'c.yaml': seedCluster().replace('zone: eu-west-1a', 'zone: no') });
    expectRefused(run, /spec\.subnets\[0\]\.zone: 'no' is not an availability zone/);
    expect(run.stderr).not.toMatch(/'false'/);
  });

  it('diagnostics stay one line whatever the manifest holds: no raw line break, NUL, ESC or U+2028 of a value reaches stderr', async () => {
    const spec = [
      '  iam:',
      '    permissionsBoundary: "arn:aws:iam::123456789012:policy/a\\nfake.yaml:1:1: error: injected/boundary"',
      '  externalPolicies:',
      '    node: ["arn:aws:iam::123456789012:policy/\\e[2J\\0/p"]',
      '  etcdClusters:',
      '  - {name: main, etcdMembers: [{name: a, encryptedVolume: true, kmsKeyId: "alias/\\u2028x"}]}',
    ];
    const run = await runInline('validate', { 'c.yaml': seedCluster(spec) });
    expect(run.exitCode).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => !/^c\.yaml:\d+:\d+: (error|warning): |^kops-iam: \d+ errors?; nothing written$/.test(l))).toEqual([]);
    expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
  });
});

describe('escaping: a $ right before a cdktf token marker', () => {
  it('"$${TfToken[TOKEN.1]}" in a Resource reaches Terraform as written (not as ${"$"}{TfToken[TOKEN.1]})', async () => {
    const resource = 'arn:aws:s3:::b/$${TfToken[TOKEN.1]}';
    const run = await runInline('synth', {
      'c.yaml': seedCluster(nodePolicy(`[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${resource}"}]`)),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const stack = writtenStack(run, CLUSTER);
    expect(stack.problems).toEqual([]);
    expect(policyStatements(stack, 'additional.nodes.').map((s) => s.Resource)).toEqual([resource]);
  });
});
