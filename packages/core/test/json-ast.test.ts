import { describe, expect, it } from 'vitest';
import { jsonToValue, parseJson, type JsonNode } from '../src/json-ast';

function ok(text: string): JsonNode {
  const r = parseJson(text);
  if (!r.ok) throw new Error(`expected JSON, got error at ${r.offset}: ${r.message}`);
  return r.value;
}

function fail(text: string): { offset: number; message: string } {
  const r = parseJson(text);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return r;
}

describe('parseJson values', () => {
  it.each([
    '{"a": [1, -2.5e3, true, false, null, "x"]}',
    '[]',
    '{}',
    '"\\u00e9\\n\\"\\\\\\/"',
    '  [ {"Effect":"Allow"} ]  ',
    '0',
  ])('gives the same data as JSON.parse for %s', (text) => {
    expect(jsonToValue(ok(text))).toEqual(JSON.parse(text));
  });

  it('records the offset where each value and key starts', () => {
    const text = '[\n  {"Effect": "Allow", "Action": ["s3:*"]}\n]';
    const root = ok(text);
    expect(root).toMatchObject({ kind: 'array', start: 0 });
    const obj = (root as Extract<JsonNode, { kind: 'array' }>).items[0] as Extract<JsonNode, { kind: 'object' }>;
    expect(obj.start).toBe(text.indexOf('{'));
    expect(obj.entries.map((e) => e.key)).toEqual(['Effect', 'Action']);
    expect(obj.entries[1]!.keyStart).toBe(text.indexOf('"Action"'));
    expect(obj.entries[1]!.value.start).toBe(text.indexOf('["s3:*"]'));
    expect(obj.entries[0]!.value.start).toBe(text.indexOf('"Allow"'));
  });

  it('keeps duplicate keys (so they can be reported); plain data keeps the last, as JSON.parse does', () => {
    const root = ok('{"a": 1, "a": 2}') as Extract<JsonNode, { kind: 'object' }>;
    expect(root.entries.map((e) => e.key)).toEqual(['a', 'a']);
    expect(jsonToValue(root)).toEqual({ a: 2 });
  });

  it('makes __proto__ an ordinary key, not a prototype', () => {
    const value = jsonToValue(ok('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseJson errors', () => {
  it.each([
    ['[1, 2,]', 5, /trailing comma/],
    ['{"a": 1,}', 7, /trailing comma/],
    ['[{"a": 1} {"b": 2}]', 9, /missing comma/],
    ['{"a": 1 "b": 2}', 7, /missing comma/],
    ["{'a': 1}", 1, /double quotes/],
    ["['x']", 1, /single quotes/],
    ['"abc', 0, /unterminated string/],
    ['"a\nb"', 2, /control character/],
    ['"\\x"', 1, /invalid escape/],
    ['[1] x', 4, /after the end/],
    ['', 0, /expected a JSON value, found end of text/],
    ['{"a" 1}', 5, /expected ':'/],
    ['[tru]', 1, /expected a JSON value/],
    ['-', 0, /invalid number/],
  ])('%j fails at offset %i', (text, offset, message) => {
    const r = fail(text);
    expect(r.offset).toBe(offset);
    expect(r.message).toMatch(message);
  });

  it('refuses nesting deeper than 64 levels instead of overflowing the stack', () => {
    const r = fail(`${'['.repeat(100)}${']'.repeat(100)}`);
    expect(r.message).toMatch(/deeper than 64/);
    expect(() => parseJson('['.repeat(100_000))).not.toThrow();
  });
});
