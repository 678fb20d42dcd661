import { describe, expect, it } from 'vitest';
import { embeddedTextPosition } from '../src/embedded-text';
import { clusterYaml, errorsOf, load, yamlRoot } from './helpers';

/** The position function of `key`'s string value in a one-document YAML text. */
function positions(text: string, key = 'p') {
  const node = yamlRoot(text).root.get(key);
  const value = node.string();
  if (value === undefined) throw new Error('not a string');
  return { value, at: embeddedTextPosition(node, value) };
}

/** Line and column (1-based) of the n-th occurrence of `needle` in `text`. */
function lineColOf(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, col: i - before.lastIndexOf('\n') };
}

describe('embeddedTextPosition in a literal block scalar', () => {
  const text = ['a: 1', 'p: |', '  [', '    {"x": 1},', '    {"y": 2}', '  ]', 'z: 2', ''].join('\n');

  it('maps an offset in the value to its line and column in the file', () => {
    const { value, at } = positions(text);
    for (const needle of ['[', '{"x"', '"y"', ']']) {
      expect(at(value.indexOf(needle)), needle).toMatchObject({ file: 'test.yaml', ...lineColOf(text, needle) });
    }
  });

  it('works for deeper indentation, strip/keep chomping and leading blank lines', () => {
    const t = ['root: x', 'p: |-', '', '        [', '', '          "k"', '        ]', ''].join('\n');
    const { value, at } = positions(t);
    expect(at(value.indexOf('"k"'))).toMatchObject(lineColOf(t, '"k"'));
    expect(at(value.indexOf(']'))).toMatchObject(lineColOf(t, ']'));
  });

  it('works with an explicit indentation indicator whose first line is indented further', () => {
    const t = ['q:', '  p: |2', '       ["more indented"', '    , 2]', ''].join('\n');
    const node = yamlRoot(t).root.at('q', 'p');
    const value = node.string()!;
    expect(value).toBe('   ["more indented"\n, 2]\n');
    const at = embeddedTextPosition(node, value);
    expect(at(value.indexOf('"more'))).toMatchObject(lineColOf(t, '"more'));
    expect(at(value.indexOf('2]'))).toMatchObject(lineColOf(t, '2]'));
  });

  it('works for a block nested in mappings', () => {
    const t = ['spec:', '  additionalPolicies:', '    node: |+', '      [', '        {"Effect": "Allow"}', '      ]', ''].join('\n');
    const node = yamlRoot(t).root.at('spec', 'additionalPolicies', 'node');
    const value = node.string()!;
    const at = embeddedTextPosition(node, value);
    expect(at(value.indexOf('"Allow"'))).toMatchObject(lineColOf(t, '"Allow"'));
  });
});

describe('embeddedTextPosition in other scalar styles', () => {
  it('maps exactly in a one-line plain, single- or double-quoted string without escapes', () => {
    for (const t of ['p: a 1, 2\n', "p: '[1, 2]'\n", 'p: "[1, 2]"\n']) {
      const { value, at } = positions(t);
      expect(at(value.indexOf('2')), t).toMatchObject(lineColOf(t, '2'));
    }
  });

  it('maps exactly in folded blocks and escaped strings too', () => {
    for (const t of ['p: >\n  [1,\n  2]\n', 'p: "[\\"a\\", 2]"\n']) {
      const { value, at } = positions(t);
      expect(at(value.indexOf('2')), t).toMatchObject(lineColOf(t, '2'));
    }
  });

  it('falls back to the start of the scalar when value and source do not line up (a \\u escape)', () => {
    const t = 'p: "\\u00e9 [1, 2]"\n';
    const { value, at } = positions(t);
    expect(value).toBe('\u00e9 [1, 2]');
    expect(at(value.indexOf('2'))).toMatchObject({ line: 1, col: 4 });
  });
});

describe('invalid JSON in additionalPolicies', () => {
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
    expect(errors).toHaveLength(1);
    // The comma is missing after the Action line: the error points right after its value.
    const actionLine = text.split('\n').findIndex((l) => l.includes('"Action"')) + 1;
    expect(errors[0]).toMatchObject({ file: 'in.yaml', line: actionLine, path: 'spec.additionalPolicies.node' });
    expect(errors[0]!.col).toBe(text.split('\n')[actionLine - 1]!.length + 1);
    expect(errors[0]!.message).toMatch(/invalid JSON: expected ',' or '}'/);
  });

  it('points at a trailing comma on its own line', async () => {
    const extra = ['  additionalPolicies:', '    master: |', '      [', '        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},', '      ]'].join('\n');
    const text = clusterYaml('j.example.com', extra);
    const r = await load(text);
    const e = errorsOf(r.diagnostics)[0]!;
    // At the comma itself, the character to delete (end of the statement's line).
    const lines = text.split('\n');
    expect(e.line).toBe(lines.length - 1);
    expect(e.col).toBe(lines[lines.length - 2]!.length);
    expect(e.message).toMatch(/trailing comma/);
  });
});
