import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { MAX_JSON_DEPTH, parseJsonTree, type JsonNode, type JsonParseResult } from '../../src/input/json-tree';
// The hand-written parser this module replaces: the differential tests below hold the two to the
// same behaviour. When json-ast.ts is deleted, freeze these expectations or drop the comparison.
import { parseJson, type JsonNode as OldJsonNode } from '../../src/json-ast';

function ok(text: string): JsonNode {
  const r = parseJsonTree(text);
  if (!r.ok) throw new Error(`expected JSON, got error at ${r.offset}: ${r.message}`);
  return r.value;
}

const err = (offset: number, message: string) => ({ ok: false, offset, message });

/** The new tree in the old tree's shape, numbers read from their raw text as the old parser read them. */
function asOldTree(node: JsonNode): OldJsonNode {
  if (node.kind === 'object') return { ...node, entries: node.entries.map((e) => ({ ...e, value: asOldTree(e.value) })) };
  if (node.kind === 'array') return { ...node, items: node.items.map(asOldTree) };
  return node.kind === 'number' ? { kind: 'number', start: node.start, value: Number(node.raw) } : node;
}

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

  it('keeps numbers as written (better: the old parser made 1e400 Infinity and rounded big integers)', () => {
    const text = '[1e400, 123456789012345678901234, -0, 1.50, 2E-3, 1' + '0'.repeat(500) + ']';
    const raws = (ok(text) as Extract<JsonNode, { kind: 'array' }>).items.map((n) => (n.kind === 'number' ? n.raw : n.kind));
    expect(raws).toEqual(['1e400', '123456789012345678901234', '-0', '1.50', '2E-3', '1' + '0'.repeat(500)]);
    expect(parseJson('[1e400, 123456789012345678901234]')).toMatchObject({
      value: { items: [{ value: Infinity }, { value: 1.2345678901234568e23 }] },
    });
    // The old parser looked at 400 characters of a number at most.
    expect(parseJson(text)).toMatchObject({ ok: false, message: `expected ',' or ']' after a list element, found character "0"` });
  });

  it('keeps a lone surrogate (\\ud800), as the old parser did: the JSON grammar allows it', () => {
    expect(ok('"\\ud800"')).toEqual({ kind: 'string', start: 0, value: '\ud800' });
    expect(parseJson('"\\ud800"')).toEqual({ ok: true, value: ok('"\\ud800"') });
  });
});

describe('parseJsonTree errors', () => {
  // The old parser's test table, with the exact message both give.
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
    expect(parseJson(text)).toEqual(err(offset, message));
  });

  it('says "JSON has no comments" wherever a comment stands (better: the old parser named its "/" after a value)', () => {
    expect(parseJsonTree('{"a": 1 // why\n}')).toEqual(err(8, 'JSON has no comments; remove it'));
    expect(parseJson('{"a": 1 // why\n}')).toEqual(err(8, `expected ',' or '}' after property "a", found character "/"`));
  });

  it('reports a malformed number at its start (better: the old parser read "1." as 1 and then stumbled on ".")', () => {
    expect(parseJsonTree('[1., 2]')).toEqual(err(1, 'invalid number'));
    expect(parseJson('[1., 2]')).toEqual(err(2, `expected ',' or ']' after a list element, found character "."`));
  });

  it('names a keyword run into other characters as one word (better: the old parser read "true" and stumbled on "ish")', () => {
    const word = (w: string) => `expected a JSON value, found "${w}" without quotes; JSON strings are written in double quotes`;
    expect(parseJsonTree('[null#]')).toEqual(err(1, word('null#')));
    expect(parseJsonTree('[trueish]')).toEqual(err(1, word('trueish')));
    expect(parseJson('[trueish]')).toMatchObject({ offset: 5 });
  });
});

describe('nesting depth', () => {
  const nested = (n: number, inner: string) => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
  const tooDeep = 'JSON nested deeper than 64 levels';

  it('accepts what the old parser accepts at the limit and fails at the same offsets past it', () => {
    const inner = { 64: ['1', '{"a": 1}'], 65: ['', '1', '"\\x"', ',', '{}'], 66: [''] };
    for (const [n, values] of Object.entries(inner)) {
      for (const v of values) expect(compare(nested(Number(n), v)), `${n} ${v}`).toMatch(/^same/);
    }
    expect(parseJsonTree(nested(100, ''))).toEqual(err(MAX_JSON_DEPTH + 1, tooDeep));
  });

  it('never overflows the stack, however deep the input', () => {
    // The 65th container holds the value that is too deep: here the 66th opening bracket.
    expect(parseJsonTree('['.repeat(1_000_000))).toEqual(err(65, tooDeep));
    expect(parseJsonTree('{"a":'.repeat(200_000))).toEqual(err(65 * 5, tooDeep));
    expect(parseJsonTree('[{"a":'.repeat(100_000))).toEqual(err(32 * 6 + 1, tooDeep));
  });
});

it('parses 2 MB of IAM statements in well under a second', () => {
  const statement = '{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::bucket-name/*"]}';
  const text = `[\n${Array.from({ length: Math.ceil(2_000_000 / statement.length) }, () => `  ${statement}`).join(',\n')}\n]`;
  expect(text.length).toBeGreaterThan(2_000_000);
  const t0 = performance.now();
  const root = ok(text);
  expect(performance.now() - t0).toBeLessThan(1000);
  expect(root.kind === 'array' && root.items.length).toBeGreaterThan(17_000);
});

/** Why the two parsers may disagree on a text (each a deliberate improvement, tested above); undefined when they must agree. */
function intendedDifference(text: string, old: ReturnType<typeof parseJson>, now: JsonParseResult): string | undefined {
  if (old.ok || now.ok) return undefined;
  const at = text.slice(now.offset);
  // "1." or "2e": reported where the number starts; the old parser read "1" and complained about ".".
  const valid = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(at)?.[0];
  const numberEnd = valid === undefined ? -1 : now.offset + valid.length;
  if (now.message === 'invalid number' && old.offset === numberEnd && /[.eE]/.test(text[numberEnd] ?? '')) return 'number';
  // A comment after a value or before a key: named as a comment; the old parser described its "/".
  if (now.message === 'JSON has no comments; remove it' && /^\/[/*]/.test(at) && old.offset === now.offset) return 'comment';
  // "trueish", "null#": one unquoted word; the old parser read the keyword and complained about what follows.
  const glued = /^(true|false|null)[^\s{}[\]":,/]/.exec(at);
  if (glued !== null && now.message.includes('without quotes') && old.offset === now.offset + (glued[1] as string).length) return 'word';
  return undefined;
}

/** Compares the parsers on a text: the same tree, or the same error, or a difference listed above. */
function compare(text: string): string {
  const [old, now] = [parseJson(text), parseJsonTree(text)];
  if (now.ok && old.ok) {
    expect(asOldTree(now.value), text).toEqual(old.value);
    return 'same tree';
  }
  if (!now.ok && !old.ok && now.offset === old.offset && now.message === old.message) return 'same error';
  const why = intendedDifference(text, old, now);
  expect(why, `${JSON.stringify(text)}\n old: ${JSON.stringify(old)}\n new: ${JSON.stringify(now)}`).toBeDefined();
  return why as string;
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

describe('differential: the old parser and parseJsonTree agree', () => {
  it('on every JSON text of the golden cases (eight are the "invalid JSON" errors of their stderr)', () => {
    const results = goldenJsonTexts().map(compare);
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r === 'same error')).toHaveLength(8);
    expect(results.filter((r) => r !== 'same error' && r !== 'same tree')).toEqual([]);
  });

  it('on a few thousand seeded mutations of valid IAM statement lists', () => {
    const next = random(20_240_917);
    const tally: Record<string, number> = {};
    const kinds = new Set<string>();
    for (let k = 0; k < 6000; k += 1) {
      const text = mutate(SEEDS[k % SEEDS.length] as string, next);
      const why = compare(text);
      tally[why] = (tally[why] ?? 0) + 1;
      const r = parseJsonTree(text);
      if (!r.ok) kinds.add(r.message.replace(/".*"/g, '…'));
    }
    // The comparison must have teeth: most mutations break the JSON in many ways, and both parsers must say so alike.
    expect(tally['same error']).toBeGreaterThan(3000);
    expect(tally['same tree']).toBeGreaterThan(1000);
    expect(kinds.size).toBeGreaterThanOrEqual(20);
    expect((tally.number ?? 0) + (tally.word ?? 0) + (tally.comment ?? 0)).toBeLessThan(100);
  });
});
