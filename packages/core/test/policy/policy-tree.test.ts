import { describe, expect, it } from 'vitest';
import { describeKind, policyTreeFromJson, policyTreeFromYaml, type PolicyNode } from '../../src/policy/policy-tree';
import { parseJsonTree } from '../../src/input/json-tree';
import { clusterYaml, instanceRole, loadOne, statementsOf, yamlRoot } from '../helpers';

/** The tree of the YAML value at key `p` of a one-document text. */
function yamlTree(text: string): PolicyNode {
  const tree = policyTreeFromYaml(yamlRoot(text).root.get('p'));
  if (tree === undefined) throw new Error('over budget');
  return tree;
}

/** The tree of a plain YAML scalar written as `p: <text>`. */
function scalar(text: string): PolicyNode {
  return yamlTree(`p: ${text}\n`);
}

describe('policyTreeFromYaml: scalars keep the text as written (YAML 1.2 core rules on it)', () => {
  it.each([
    ['2030-01-01T00:00:00Z', 'a timestamp'],
    ['012345670123', 'an account id with a leading zero (YAML 1.1: octal)'],
    ['.inf', 'YAML 1.1 infinity'],
    ['.nan', 'YAML 1.1 not-a-number'],
    ['yes', 'a YAML 1.1 boolean'],
    ['off', 'a YAML 1.1 boolean'],
    ['0x1F', 'a hexadecimal number in YAML'],
    ['1_000', 'a YAML 1.1 number with an underscore'],
    ['+12', 'a number with a plus sign, not JSON'],
    ['ec2:Describe*', 'an action'],
  ])('%s (%s) stays a string', (text) => {
    expect(scalar(text)).toMatchObject({ kind: 'string', value: text });
  });

  it.each(['true', 'True', 'TRUE'])('%s is the boolean true', (text) => {
    expect(scalar(text)).toMatchObject({ kind: 'boolean', value: true });
  });

  it('false is a boolean, null and ~ are null', () => {
    expect(scalar('false')).toMatchObject({ kind: 'boolean', value: false });
    expect(scalar('null').kind).toBe('null');
    expect(scalar('~').kind).toBe('null');
    expect(yamlTree('p:\n').kind).toBe('null');
  });

  it.each(['12', '-0.5', '1e3', '0', '123456789012345678901234', '1e400'])('%s is a number with its text', (text) => {
    expect(scalar(text)).toMatchObject({ kind: 'number', raw: text });
  });

  it('quoted and block scalars are strings, whatever they hold', () => {
    expect(scalar('"12"')).toMatchObject({ kind: 'string', value: '12' });
    expect(scalar("'true'")).toMatchObject({ kind: 'string', value: 'true' });
    expect(yamlTree('p: |\n  12\n')).toMatchObject({ kind: 'string', value: '12\n' });
  });

  it('keeps paths and positions of every node, and keys in order', () => {
    const text = 'x: 1\np:\n- Effect: Allow\n  Action: [s3:GetObject]\n';
    const tree = yamlTree(text);
    expect(tree).toMatchObject({ kind: 'array', path: 'p', pos: { line: 3, col: 1 } });
    const first = tree.kind === 'array' ? tree.items[0] : undefined;
    expect(first?.kind).toBe('object');
    if (first?.kind !== 'object') return;
    expect(first.entries.map((e) => [e.key, e.keyPos.line, e.keyPos.col, e.value.path])).toEqual([
      ['Effect', 3, 3, 'p[0].Effect'],
      ['Action', 4, 3, 'p[0].Action'],
    ]);
    const action = first.entries[1]?.value;
    expect(action?.kind === 'array' ? action.items[0] : undefined).toMatchObject({
      kind: 'string',
      value: 's3:GetObject',
      path: 'p[0].Action[0]',
    });
  });
});

describe('policyTreeFromJson', () => {
  it('keeps numbers raw and maps offsets through the given function', () => {
    const parsed = parseJsonTree('[{"n": 1e400}]');
    if (!parsed.ok) throw new Error(parsed.message);
    const tree = policyTreeFromJson(parsed.value, 'spec.p', (offset) => ({ file: 'f', line: 7, col: offset + 1 }));
    expect(tree).toMatchObject({ kind: 'array', path: 'spec.p', pos: { line: 7, col: 1 } });
    const item = tree.kind === 'array' ? tree.items[0] : undefined;
    expect(item?.kind === 'object' ? item.entries[0] : undefined).toEqual({
      key: 'n',
      keyPos: { file: 'f', line: 7, col: 3 },
      value: { kind: 'number', path: 'spec.p[0].n', pos: { file: 'f', line: 7, col: 8 }, raw: '1e400' },
    });
  });
});

describe('describeKind', () => {
  it('names each kind as a user would', () => {
    const pos = { file: 'f', line: 1, col: 1 };
    expect(
      [
        { kind: 'object', path: '', pos, entries: [] },
        { kind: 'array', path: '', pos, items: [] },
        { kind: 'string', path: '', pos, value: '' },
        { kind: 'number', path: '', pos, raw: '1' },
        { kind: 'boolean', path: '', pos, value: true },
        { kind: 'null', path: '', pos },
      ].map((n) => describeKind(n as PolicyNode)),
    ).toEqual(['an object', 'a list', 'a string', 'a number', 'a boolean', 'null']);
  });
});

describe('a policy written as a YAML list reaches IAM with its scalars as written', () => {
  it('keeps dates, leading zeros, .inf, booleans and numbers', async () => {
    const extra = [
      '  additionalPolicies:',
      '    node:',
      '    - Effect: Allow',
      '      Action: [s3:GetObject]',
      '      Resource: [arn:aws:s3:::b/012345670123/*]',
      '      Condition:',
      '        DateLessThan: {aws:CurrentTime: 2030-01-01T00:00:00Z}',
      '        StringEquals: {aws:PrincipalAccount: 012345670123, x:tag: .inf}',
      '        Bool: {aws:SecureTransport: true}',
      '        NumericLessThan: {s3:max-keys: 12}',
    ].join('\n');
    const { plan } = await loadOne(clusterYaml('y.example.com', extra));
    expect(statementsOf(instanceRole(plan, 'node'), 'additional')).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::b/012345670123/*'],
        Condition: {
          DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
          StringEquals: { 'aws:PrincipalAccount': '012345670123', 'x:tag': '.inf' },
          Bool: { 'aws:SecureTransport': true },
          NumericLessThan: { 's3:max-keys': 12 },
        },
      },
    ]);
  });
});
