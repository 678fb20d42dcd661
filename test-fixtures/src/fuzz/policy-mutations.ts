import { hostileString } from '../hostile-strings';
import { chance, int, pick, type Random } from '../prng';
import { randomText } from './values';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ACTIONS = [
  's3:GetObject',
  's3:*',
  'ec2:Describe*',
  'iam:PassRole',
  '*',
  'constructor:get',
  'toString:x',
  'ec2:DescribeInstancez',
  'sts:AssumeRole',
];
const OPERATORS = [
  'StringEquals',
  'StringLike',
  'ArnLike',
  'IpAddress',
  'NumericLessThan',
  'Bool',
  'Null',
  'ForAnyValue:StringEquals',
  'DateLessThan',
  'Foo',
];
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
  'Principal',
  'NotPrincipal',
  'Extra',
];

/** A statement, usually valid, with hostile text in its resource or condition. */
export function randomStatement(r: Random): Json {
  const s: Record<string, Json> = { Effect: chance(r, 0.9) ? 'Allow' : pick(r, ['Deny', 'allow', 'Maybe']), Action: pick(r, ACTIONS) };
  s[chance(r, 0.9) ? 'Resource' : 'NotResource'] = chance(r, 0.3) ? '*' : `arn:aws:s3:::bucket/${hostileString(r, 3)}`;
  if (chance(r, 0.4))
    s.Condition = { [pick(r, OPERATORS)]: { [chance(r, 0.7) ? 'aws:PrincipalTag/team' : hostileString(r, 2)]: randomText(r) } };
  if (chance(r, 0.2)) s.Sid = chance(r, 0.5) ? `S${int(r, 100)}` : hostileString(r, 2);
  return s;
}

/** A policy as additionalPolicies holds it: a JSON list of statements, usually pretty-printed. */
export function randomPolicyText(r: Random): string {
  const statements = Array.from({ length: 1 + int(r, 3) }, () => randomStatement(r));
  return `${JSON.stringify(statements, null, chance(r, 0.8) ? 2 : 0)}\n`;
}

/** One structural change somewhere in a JSON value. */
function mutateJson(r: Random, v: Json, depth = 0): Json {
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  const kids: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : isObject ? Object.keys(v) : [];
  if (kids.length > 0 && chance(r, 0.7) && depth < 8) {
    const k = pick(r, kids);
    const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, Json>;
    copy[k] = mutateJson(r, copy[k] as Json, depth + 1);
    return copy as Json;
  }
  const how = int(r, 7);
  if (how === 0) return randomText(r);
  if (how === 1 && typeof v === 'string') return `${v}${hostileString(r, 2)}`;
  if (how === 2 && isObject && kids.length > 0) {
    const copy = { ...(v as Record<string, Json>) };
    delete copy[pick(r, kids) as string];
    return copy;
  }
  if (how === 3 && isObject) return { ...(v as Record<string, Json>), [pick(r, STATEMENT_KEYS)]: randomText(r) };
  if (how === 4) return pick<Json>(r, [[], {}, null, 1, true, [v], { a: v }]);
  if (how === 5 && Array.isArray(v)) return [...v, randomStatement(r)];
  return randomStatement(r);
}

/** Text-level changes JSON.stringify cannot make: huge numbers, duplicate keys, trailing commas, breakage. */
function mutateJsonText(r: Random, text: string): string {
  const how = int(r, 5);
  if (how === 0) return text.replace(/"(Resource|Action|Sid)": "[^"]*"/, (m) => `${m.replace(/"[^"]*"$/, '1e400')}`);
  if (how === 1) return text.replace(/("[^"]+": "[^"]*")/, '$1, $1');
  if (how === 2) return text.replace(/\]\s*$/, ',]\n');
  if (how === 3) return text.replace(/"Effect"/, `"Effect": 123456789012345678901234, "Effect"`);
  const at = int(r, text.length);
  return `${text.slice(0, at)}${text.slice(at + 1)}`;
}

/** A changed policy text; undefined when `text` is not JSON. */
export function mutatePolicyText(r: Random, text: string): string | undefined {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  const changed = JSON.stringify(mutateJson(r, json), null, 2);
  return `${chance(r, 0.15) ? mutateJsonText(r, changed) : changed}\n`;
}

/** The statements of a policy text as plain data (for the YAML-list form); undefined when not JSON. */
export function policyData(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
