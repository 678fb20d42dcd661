import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseAllDocuments, parseDocument, type Scalar } from 'yaml';
import { embeddedTextPosition, type EmbeddedScalar, type EmbeddedSource } from '../../src/input/embedded-text';
import { parseJsonTree } from '../../src/input/json-tree';

/** A whole file as the module sees it, built here so the test depends on no YAML node model. */
function sourceOf(text: string, name = 'test.yaml'): EmbeddedSource {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return {
    name,
    text,
    base: 0,
    position(offset) {
      let line = starts.length - 1;
      while ((starts[line] as number) > offset) line -= 1;
      return { file: name, line: line + 1, col: offset - (starts[line] as number) + 1 };
    },
  };
}

function scalarNode(source: EmbeddedSource, scalar: Scalar): { node: EmbeddedScalar; value: string } {
  const start = scalar.range?.[0] ?? 0;
  if (typeof scalar.value !== 'string') throw new Error('not a string');
  return { node: { source, start, scalarType: scalar.type, pos: source.position(start) }, value: scalar.value };
}

/** The scalar at `path` in a one-document YAML text, and its position function. */
function positions(text: string, ...path: string[]) {
  const scalar = parseDocument(text).getIn(path.length === 0 ? ['p'] : path, true);
  if (!isScalar(scalar)) throw new Error(`no scalar at ${path.join('.')}`);
  const { node, value } = scalarNode(sourceOf(text), scalar);
  return { node, value, at: embeddedTextPosition(node, value) };
}

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function lineColOf(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, col: i - before.lastIndexOf('\n') };
}

// The old test's texts, plus the other scalar styles, each with the needles to find.
const CASES: [string, string[], string[]][] = [
  [['a: 1', 'p: |', '  [', '    {"x": 1},', '    {"y": 2}', '  ]', 'z: 2', ''].join('\n'), ['p'], ['[', '{"x"', '"y"', ']']],
  [['root: x', 'p: |-', '', '        [', '', '          "k"', '        ]', ''].join('\n'), ['p'], ['"k"', ']']],
  [['q:', '  p: |2', '       ["more indented"', '    , 2]', ''].join('\n'), ['q', 'p'], ['"more', '2]']],
  [
    ['spec:', '  additionalPolicies:', '    node: |+', '      [', '        {"Effect": "Allow"}', '      ]', ''].join('\n'),
    ['spec', 'additionalPolicies', 'node'],
    ['"Allow"'],
  ],
  [['p: |\r', '  [1,\r', '   2]\r', ''].join('\n'), ['p'], ['2]']],
  ['p: a 1, 2\n', ['p'], ['2']],
  ["p: '[1, 2]'\n", ['p'], ['2']],
  ['p: "[1, 2]"\n', ['p'], ['2']],
  ['p: >\n  [1,\n  2]\n', ['p'], ['2']],
  ['p: >-\n  [{"a":\n    1}, 2]\n', ['p'], ['1}', '2]']],
  ['p: "[\\"a\\", 2]"\n', ['p'], ['2']],
  ["p: '[''a'', 2]'\n", ['p'], ['2']],
  ['p: "[1,\n  2]"\n', ['p'], ['2']],
];

describe('embeddedTextPosition', () => {
  it.each(CASES)('maps offsets in %j to the line and column of the file', (text, path, needles) => {
    const { value, at } = positions(text, ...path);
    for (const needle of needles) expect(at(value.indexOf(needle)), needle).toEqual({ file: 'test.yaml', ...lineColOf(text, needle) });
  });

  it.each(CASES)('maps every character of the value of %j to that character in the file, in order', (text, path) => {
    const { value, at } = positions(text, ...path);
    const lines = text.split('\n');
    let last = { line: 0, col: 0 };
    for (let offset = 0; offset <= value.length + 1; offset += 1) {
      const p = at(offset);
      expect(p.line > last.line || (p.line === last.line && p.col >= last.col), `offset ${offset} goes back`).toBe(true);
      last = p;
      const c = value[offset];
      // Blanks are folded, chomped or re-indented by YAML: only the other characters are written as they are.
      if (c !== undefined && !/\s/.test(c)) expect(lines[p.line - 1]?.[p.col - 1], `offset ${offset}`).toBe(c);
    }
  });

  it('falls back to the start of the scalar when value and source do not line up (a \\u escape)', () => {
    const { value, at } = positions('p: "\\u00e9 [1, 2]"\n');
    expect(value).toBe('\u00e9 [1, 2]');
    expect(at(value.indexOf('2'))).toMatchObject({ line: 1, col: 4 });
  });

  it('uses the part of the file still held, counting offsets from the start of the file', () => {
    const text = 'x: 1\n---\np: |\n  [1,\n   2]\n';
    const { node, value } = positions(text.slice(9));
    const whole = sourceOf(text);
    const held: EmbeddedSource = { name: 'test.yaml', text: text.slice(9), base: 9, position: (o) => whole.position(o) };
    const at = embeddedTextPosition({ ...node, source: held, start: node.start + 9 }, value);
    expect(at(value.indexOf('2'))).toEqual({ file: 'test.yaml', ...lineColOf(text, '2]') });
  });
});

describe('size', () => {
  it('maps 10,000 offsets of a 2 MB literal block in linear time (well under a second on an idle machine)', () => {
    const line = '    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::bucket/*"]},';
    const count = Math.ceil(2_100_000 / line.length);
    const text = `p: |\n  [\n${Array.from({ length: count }, () => line).join('\n')}\n  ]\n`;
    const { value, node } = positions(text);
    expect(value.length).toBeGreaterThan(2_000_000);
    const t0 = performance.now();
    const at = embeddedTextPosition(node, value);
    const step = Math.floor(value.length / 10_000);
    let last = { line: 0, col: 0 };
    for (let offset = 0; offset < value.length; offset += step) last = at(offset);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000);
    // The last offset probed, checked against the file: line count and column both right.
    const offset = step * Math.floor((value.length - 1) / step);
    const valueLine = value.slice(0, offset).split('\n').length - 1;
    // Value line k is file line 2 + k (after `p: |`); the block's indentation is 2.
    expect(last).toEqual({ file: 'test.yaml', line: 2 + valueLine, col: offset - (value.lastIndexOf('\n', offset - 1) + 1) + 3 });
  });
});

describe('the golden cases', () => {
  it('give every "invalid JSON" line of their expected stderr, byte for byte', () => {
    const cases = join(__dirname, '..', '..', '..', '..', 'test-fixtures', 'cases');
    let found = 0;
    for (const name of readdirSync(cases)) {
      const file = join(cases, name, 'expected', 'stderr');
      const stderr = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const lines = invalidJsonLines(join(cases, name));
      expect(lines, name).toHaveLength(stderr.split('invalid JSON: ').length - 1);
      for (const line of lines) expect(stderr, name).toContain(`${line}\n`);
      found += lines.length;
    }
    expect(found).toBe(8);
  });
});

/** The error lines kops-iam prints for the JSON strings of additionalPolicies in a case's YAML files. */
function invalidJsonLines(dir: string): string[] {
  const out: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const source = sourceOf(readFileSync(join(dir, file), 'utf8'), file);
    for (const doc of parseAllDocuments(source.text)) {
      const policies = 'getIn' in doc ? doc.getIn(['spec', 'additionalPolicies'], true) : undefined;
      if (!isMap(policies)) continue;
      for (const pair of policies.items) {
        if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || !isScalar(pair.key)) continue;
        const { node, value } = scalarNode(source, pair.value);
        const r = parseJsonTree(value);
        if (r.ok) continue;
        const { line, col } = embeddedTextPosition(node, value)(r.offset);
        out.push(`${file}:${line}:${col}: error: spec.additionalPolicies.${String(pair.key.value)}: invalid JSON: ${r.message}`);
      }
    }
  }
  return out;
}
