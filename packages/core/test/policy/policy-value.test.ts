import { describe, expect, it } from 'vitest';
import { MAX_YAML_POLICY_NODES } from '../../src/policy/policy-tree';
import { readPolicyValue } from '../../src/policy/policy-value';
import { clusterYaml, errorsOf, load, specLines } from '../helpers';

/** readPolicyValue on `spec.p`, written as the given lines (indented by 2 under spec). */
function value(...lines: string[]) {
  const { spec, report } = specLines(...lines);
  const tree = readPolicyValue(spec.get('p'), report);
  return { tree, diagnostics: report.diagnostics };
}

describe('readPolicyValue', () => {
  it('reads a YAML list, a YAML mapping and a JSON string into trees', () => {
    expect(value('  p:', '  - Effect: Allow').tree?.kind).toBe('array');
    expect(value('  p: {Effect: Allow}').tree?.kind).toBe('object');
    expect(value(`  p: '[{"Effect": "Allow"}]'`).tree).toMatchObject({ kind: 'array', path: 'spec.p' });
  });

  it('warns that an empty value adds nothing (KI304)', () => {
    for (const v of ['  p:', '  p: ""', '  p: "  "', '  p: |\n']) {
      const r = value(v);
      expect(r.tree, v).toBeUndefined();
      expect(r.diagnostics, v).toMatchObject([
        { code: 'KI304', severity: 'warning', path: 'spec.p', message: 'empty: no additional policy is added' },
      ]);
    }
  });

  it.each([
    ['12', 'the number 12'],
    ['no', 'the boolean no'],
    ['true', 'the boolean true'],
  ])('refuses %s, saying what it found as written (KI303)', (written, found) => {
    expect(value(`  p: ${written}`).diagnostics).toEqual([
      expect.objectContaining({
        code: 'KI303',
        severity: 'error',
        line: 2,
        col: 6,
        message: `must be a string holding a JSON list of IAM statements, or a YAML list of statements; found ${found}`,
      }),
    ]);
  });

  it('reports invalid JSON at its place in the file (KI305)', () => {
    const r = value('  p: |', '    [', '      {"Effect": "Allow",}', '    ]');
    expect(r.tree).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'KI305',
        line: 4,
        col: 25,
        path: 'spec.p',
        message: "invalid JSON: a trailing comma is not allowed in JSON; remove this ','",
      }),
    ]);
  });

  it(`refuses a YAML policy of more than ${MAX_YAML_POLICY_NODES} values, which aliases can make of a small file (KI318)`, () => {
    // 600 resources behind one anchor, used by 90 statements: 90 alias expansions, over 54,000 values.
    const resources = Array.from({ length: 600 }, (_, i) => `arn:aws:s3:::b/${i}`).join(', ');
    const lines = ['  r: &r [' + resources + ']', '  p:'];
    for (let i = 0; i < 90; i += 1) lines.push('  - {Effect: Allow, Action: s3:GetObject, Resource: *r}');
    const r = value(...lines);
    expect(r.tree).toBeUndefined();
    expect(r.diagnostics).toMatchObject([
      {
        code: 'KI318',
        path: 'spec.p',
        message: `the policy has more than ${MAX_YAML_POLICY_NODES} values (YAML aliases?); write it out, or as JSON`,
      },
    ]);
  });
});

describe('invalid JSON in additionalPolicies, through loadPlans', () => {
  it('is reported at the line of the block scalar where the JSON breaks', async () => {
    const extra = [
      '  additionalPolicies:',
      '    node: |',
      '      [',
      '        {',
      '          "Effect": "Allow",',
      '          "Action": ["dynamodb:*"]',
      '          "Resource": ["*"]',
      '        }',
      '      ]',
    ].join('\n');
    const text = clusterYaml('j.example.com', extra);
    const r = await load(text);
    const errors = errorsOf(r.diagnostics);
    // The comma is missing after the Action line: the error points right after its value.
    const actionLine = text.split('\n').findIndex((l) => l.includes('"Action"')) + 1;
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'KI305',
        file: 'in.yaml',
        line: actionLine,
        col: text.split('\n')[actionLine - 1]!.length + 1,
        path: 'spec.additionalPolicies.node',
        message: expect.stringMatching(/^invalid JSON: expected ',' or '}' after property "Action"/),
      }),
    ]);
  });

  it('points at a trailing comma on its own line', async () => {
    const extra = [
      '  additionalPolicies:',
      '    master: |',
      '      [',
      '        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},',
      '      ]',
    ].join('\n');
    const text = clusterYaml('j.example.com', extra);
    const r = await load(text);
    const lines = text.split('\n');
    // At the comma itself, the character to delete (end of the statement's line).
    expect(errorsOf(r.diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI305',
        line: lines.length - 1,
        col: lines[lines.length - 2]!.length,
        message: expect.stringMatching(/trailing comma/),
      }),
    ]);
  });
});
