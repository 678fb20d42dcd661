import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { MAX_JSON_DEPTH, parseJsonTree, type JsonNode } from '../../src/input/json-tree';

function ok(text: string): JsonNode {
  const r = parseJsonTree(text);
  if (!r.ok) throw new Error(`expected JSON, got error at ${r.offset}: ${r.message}`);
  return r.value;
}

const err = (offset: number, message: string) => ({ ok: false, offset, message });

/** Plain data, as JSON.parse gives it. */
function toData(node: JsonNode): unknown {
  if (node.kind === 'object') return Object.fromEntries(node.entries.map((e) => [e.key, toData(e.value)]));
  if (node.kind === 'array') return node.items.map(toData);
  return node.kind === 'number' ? Number(node.raw) : node.kind === 'null' ? null : node.value;
}

describe('parseJsonTree values', () => {
  const texts = ['{"a": [1, -2.5e3, true, false, null, "x"]}', '[]', '{}', '"\\u00e9\\n\\"\\\\\\/"', '  [ {"Effect":"Allow"} ]  ', '0'];
  it.each(texts)('gives the same data as JSON.parse for %s', (text) => {
    expect(toData(ok(text))).toEqual(JSON.parse(text));
  });

  it('records the offset where each value and key starts', () => {
    const text = '[\n  {"Effect": "Allow", "Action": ["s3:*"]}\n]';
    const root = ok(text) as Extract<JsonNode, { kind: 'array' }>;
    const obj = root.items[0] as Extract<JsonNode, { kind: 'object' }>;
    expect([root.start, obj.start]).toEqual([0, text.indexOf('{')]);
    expect(obj.entries.map((e) => [e.key, e.keyStart, e.value.start])).toEqual([
      ['Effect', text.indexOf('"Effect"'), text.indexOf('"Allow"')],
      ['Action', text.indexOf('"Action"'), text.indexOf('["s3:*"]')],
    ]);
  });

  it('keeps every member of an object in order, duplicates too', () => {
    const root = ok('{"a": 1, "b": 2, "a": 3}') as Extract<JsonNode, { kind: 'object' }>;
    expect(root.entries.map((e) => `${e.key}@${e.keyStart}`)).toEqual(['a@1', 'b@9', 'a@17']);
  });

  it('keeps numbers as written: 1e400 is not Infinity (JSON null), big integers are not rounded', () => {
    const text = '[1e400, 123456789012345678901234, -0, 1.50, 2E-3, 1' + '0'.repeat(500) + ']';
    const raws = (ok(text) as Extract<JsonNode, { kind: 'array' }>).items.map((n) => (n.kind === 'number' ? n.raw : n.kind));
    expect(raws).toEqual(['1e400', '123456789012345678901234', '-0', '1.50', '2E-3', '1' + '0'.repeat(500)]);
  });

  it('keeps a lone surrogate (\\ud800): the JSON grammar allows it', () => {
    expect(ok('"\\ud800"')).toEqual({ kind: 'string', start: 0, value: '\ud800' });
  });
});

describe('parseJsonTree errors', () => {
  // The hand-written parser's table, with the exact message it gave (the goldens' stderr holds these texts).
  it.each([
    ['[1, 2,]', 5, "a trailing comma is not allowed in JSON; remove this ','"],
    ['{"a": 1,}', 7, "a trailing comma is not allowed in JSON; remove this ','"],
    ['[{"a": 1} {"b": 2}]', 9, "expected ',' or ']' after a list element: missing comma before the next element"],
    ['{"a": 1 "b": 2}', 7, `expected ',' or '}' after property "a": missing comma before the next property`],
    ["{'a': 1}", 1, `expected a property name in double quotes, found character "'"; JSON uses double quotes`],
    ["['x']", 1, 'JSON strings use double quotes, not single quotes'],
    ['"abc', 0, "unterminated string: add the closing '\"'"],
    ['"a\nb"', 2, `a JSON string runs into a line break (control characters are not allowed in strings); is the closing '"' missing?`],
    ['"a\tb"', 2, 'a control character inside a JSON string; write it as an escape such as \\t'],
    ['"\\x"', 1, 'invalid escape sequence "\\\\x" in a JSON string; write \\\\ for a backslash'],
    ['"ok \\u12" ', 4, 'invalid escape sequence "\\\\u" in a JSON string; write \\\\ for a backslash'],
    ['"\\x and then\n"', 1, 'invalid escape sequence "\\\\x" in a JSON string; write \\\\ for a backslash'],
    ['[1] x', 4, 'unexpected character "x" after the end of the JSON value'],
    ['', 0, 'expected a JSON value, found end of text'],
    ['{"a" 1}', 5, `expected ':' after property name "a", found character "1"`],
    ['[tru]', 1, 'expected a JSON value, found "tru" without quotes; JSON strings are written in double quotes'],
    ['[Allow]', 1, 'expected a JSON value, found "Allow" without quotes; JSON strings are written in double quotes'],
    ['-', 0, 'invalid number'],
    ['[1', 2, "unexpected end of text: the list is not closed; add ']'"],
    ['{"a": 1', 7, "unexpected end of text: the object is not closed; add '}'"],
    ['[// no\n1]', 1, 'JSON has no comments; remove it'],
    ['[1}', 2, `expected ',' or ']' after a list element, found character "}" (a list is closed with ], an object with })`],
  ])('%j fails at offset %i', (text, offset, message) => {
    expect(parseJsonTree(text)).toEqual(err(offset, message));
  });

  it('says "JSON has no comments" wherever a comment stands, after a value too', () => {
    expect(parseJsonTree('{"a": 1 // why\n}')).toEqual(err(8, 'JSON has no comments; remove it'));
    expect(parseJsonTree('{"a": /* x */ 1}')).toEqual(err(6, 'JSON has no comments; remove it'));
  });

  it('reports a malformed number at its start, not at the character after its valid part', () => {
    expect(parseJsonTree('[1., 2]')).toEqual(err(1, 'invalid number'));
    expect(parseJsonTree('[0, 2e]')).toEqual(err(4, 'invalid number'));
  });

  it('names a keyword run into other characters as one word, at its start', () => {
    const word = (w: string) => `expected a JSON value, found "${w}" without quotes; JSON strings are written in double quotes`;
    expect(parseJsonTree('[null#]')).toEqual(err(1, word('null#')));
    expect(parseJsonTree('[trueish]')).toEqual(err(1, word('trueish')));
  });
});

describe('nesting depth', () => {
  const nested = (n: number, inner: string) => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
  const tooDeep = 'JSON nested deeper than 64 levels';

  it('accepts 64 levels of containers and refuses a 65th level, container or value, where it starts', () => {
    // 64 lists around a value; 65 lists around nothing (the 65th list is the 65th level and holds no value).
    expect(parseJsonTree(nested(64, '1')).ok).toBe(true);
    expect(parseJsonTree(nested(65, '')).ok).toBe(true);
    // The object inside 64 lists is level 65's container; its value `1` (offset 64 + 6) is the first thing too deep.
    expect(parseJsonTree(nested(64, '{"a": 1}'))).toEqual(err(70, tooDeep));
    // Inside 65 lists: a value, a bad string, a stray comma or an object, all at offset 65, are too deep before anything else.
    for (const inner of ['1', '"\\x"', ',', '{}']) expect(parseJsonTree(nested(65, inner)), inner).toEqual(err(65, tooDeep));
    expect(parseJsonTree(nested(66, ''))).toEqual(err(65, tooDeep));
    expect(parseJsonTree(nested(100, ''))).toEqual(err(MAX_JSON_DEPTH + 1, tooDeep));
  });

  it('never overflows the stack, however deep the input', () => {
    // The 65th container holds the value that is too deep: here the 66th opening bracket.
    expect(parseJsonTree('['.repeat(1_000_000))).toEqual(err(65, tooDeep));
    expect(parseJsonTree('{"a":'.repeat(200_000))).toEqual(err(65 * 5, tooDeep));
    expect(parseJsonTree('[{"a":'.repeat(100_000))).toEqual(err(32 * 6 + 1, tooDeep));
  });
});

// Linear time: about half a second on an idle machine; the budget leaves room for a busy CI host, not for quadratic work.
it('parses 2 MB of IAM statements in linear time', () => {
  const statement = '{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::bucket-name/*"]}';
  const text = `[\n${Array.from({ length: Math.ceil(2_000_000 / statement.length) }, () => `  ${statement}`).join(',\n')}\n]`;
  expect(text.length).toBeGreaterThan(2_000_000);
  const t0 = performance.now();
  const root = ok(text);
  expect(performance.now() - t0).toBeLessThan(5000);
  expect(root.kind === 'array' && root.items.length).toBeGreaterThan(17_000);
});

/** JSON.parse's verdict on a text: the data, or that it is not JSON. */
function jsonParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Compares parseJsonTree with JSON.parse on a text: the same data, or both refusing it (or nesting past the limit). */
function compare(text: string): 'same tree' | 'same error' | 'too deep' {
  const now = parseJsonTree(text);
  const oracle = jsonParse(text);
  if (!now.ok && now.message === `JSON nested deeper than ${MAX_JSON_DEPTH} levels`) return 'too deep';
  expect(now.ok, `${JSON.stringify(text)}: ${JSON.stringify(now)}`).toBe(oracle.ok);
  if (now.ok && oracle.ok) {
    expect(toData(now.value), text).toEqual(oracle.value);
    return 'same tree';
  }
  return 'same error';
}

/** A seeded generator (a 32-bit LCG; its high bits serve): the same mutations on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const SEEDS = [
  '[\n  {\n    "Effect": "Allow",\n    "Action": ["s3:GetObject", "s3:PutObject"],\n    "Resource": ["arn:aws:s3:::demo-data/*"]\n  }\n]',
  '[{"Sid": "Dyn", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",\n' +
    ' "Condition": {"NumericLessThanEquals": {"aws:MultiFactorAuthAge": 3600}, "Bool": {"aws:SecureTransport": true}}}]',
  '[{"Effect":"Deny","NotAction":["iam:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":["a\\"b","c\\\\d",' +
    '"\\u00e9\\/x"]},"Null":{"aws:TokenIssueTime":null,"x":false},"NumericGreaterThan":{"s3:max-keys":-1.5e2}}}]',
  '[\n  {"Effect": "Allow", "Action": ["ec2:Describe*"], "Resource": [], "Condition": {}},\n  {"Effect": "Allow", "Action": "sts:*"}\n]\n',
];
const ALPHABET = [',', ':', '{', '}', '[', ']', '"', "'", '\n', ' ', '\\', '/', '#', '-', '.', '0', 'e', 't', '\t', '\u0001', '\r', '*'];

/** One to three edits: delete, duplicate, insert or replace a character at a random place. */
function mutate(text: string, next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  let out = text;
  for (let n = 1 + Math.floor(next() * 3); n > 0; n -= 1) {
    const i = Math.floor(next() * (out.length + 1));
    const op = pick(['delete', 'duplicate', 'insert', 'replace'] as const);
    const keep = op === 'delete' || op === 'replace' ? i + 1 : i;
    const put = op === 'delete' ? '' : op === 'duplicate' ? out.slice(i, i + 1) : pick(ALPHABET);
    out = out.slice(0, i) + put + out.slice(keep);
  }
  return out;
}

/** The string values of `spec.additionalPolicies` in every YAML file of the golden cases. */
function goldenJsonTexts(): string[] {
  const cases = join(__dirname, '..', '..', '..', '..', 'test-fixtures', 'cases');
  const texts: string[] = [];
  for (const name of readdirSync(cases)) {
    for (const file of readdirSync(join(cases, name)).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(join(cases, name, file), 'utf8'))) {
        const policies = 'getIn' in doc ? doc.getIn(['spec', 'additionalPolicies'], true) : undefined;
        if (!isMap(policies)) continue;
        for (const { value } of policies.items) if (isScalar(value) && typeof value.value === 'string') texts.push(value.value);
      }
    }
  }
  return texts;
}

describe('differential: parseJsonTree and JSON.parse agree on what is JSON, and on its data', () => {
  it('on every JSON text of the golden cases (eight are the "invalid JSON" errors of their stderr)', () => {
    const results = goldenJsonTexts().map(compare);
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r !== 'same tree')).toHaveLength(8);
    expect(results.filter((r) => r === 'too deep')).toHaveLength(1);
  });

  it('on a few thousand seeded mutations of valid IAM statement lists', () => {
    const next = random(20_240_917);
    const tally = { 'same tree': 0, 'same error': 0, 'too deep': 0 };
    const kinds = new Set<string>();
    for (let k = 0; k < 6000; k += 1) {
      const text = mutate(SEEDS[k % SEEDS.length] as string, next);
      tally[compare(text)] += 1;
      const r = parseJsonTree(text);
      if (!r.ok) kinds.add(r.message.replace(/".*"/g, '…'));
    }
    // The comparison must have teeth: most mutations break the JSON in many ways, and each is worded.
    expect(tally['same error']).toBeGreaterThan(3000);
    expect(tally['same tree']).toBeGreaterThan(1000);
    expect(kinds.size).toBeGreaterThanOrEqual(20);
  });
});
