import type { ConditionBlock, ConditionValue, Matcher, PolicyDocument, Principal, Ref, Statement, Text } from './statement';

/**
 * A policy rendered as IAM JSON, in order: plain chunks are JSON text, references stand
 * where their value goes (always inside a JSON string). How a reference is spelled, and
 * how plain text is escaped for an engine, is the renderer's business (the app's).
 */
export type RenderedPolicy = readonly (string | Ref)[];

/** IAM's policy language version; the only one that supports policy variables. */
export const POLICY_VERSION = '2012-10-17';

/**
 * A policy document as compact JSON: `{"Version":…,"Statement":[…]}`, each statement's
 * keys in IAM's documented order (Sid, Effect, Principal, Action, Resource, Condition),
 * a single value written as a string unless it was written as a list.
 */
export function renderPolicy(doc: PolicyDocument): RenderedPolicy {
  const out = new JsonWriter();
  writeDocument(out, doc);
  return out.parts;
}

/** The policy as one string, references spelled by `spell` (for reports and tests). */
export function renderPolicyText(doc: PolicyDocument, spell: (ref: Ref) => string): string {
  return renderPolicy(doc)
    .map((p) => (typeof p === 'string' ? p : spell(p)))
    .join('');
}

/**
 * The size IAM counts for the policy as {@link renderPolicyText} writes it: its characters
 * less spaces, tabs and line breaks (policySize of that text), counted as it is written
 * instead of from the text. Every cluster's policies are measured as it is planned: building
 * the texts for that was a third of planning (cpu profile of 1,000 many-addons clusters:
 * checkPolicySizes 161 of 446 ms; 99 ms this way). A test compares both on every golden and
 * kops reference plan and on values that need escaping.
 */
export function policyTextSize(doc: PolicyDocument, spell: (ref: Ref) => string): number {
  const out = new SizeCounter(spell);
  writeDocument(out, doc);
  return out.size;
}

function writeDocument(out: JsonOut, doc: PolicyDocument): void {
  out.raw(`{"Version":${JSON.stringify(POLICY_VERSION)},"Statement":[`);
  doc.statements.forEach((s, i) => {
    if (i > 0) out.raw(',');
    writeStatement(out, s);
  });
  out.raw(']}');
}

function writeStatement(out: JsonOut, s: Statement): void {
  const fields: [string, () => void][] = [];
  if (s.sid !== undefined) fields.push(['Sid', () => out.text(s.sid as string)]);
  fields.push(['Effect', () => out.text(s.effect)]);
  if (s.principal !== undefined) fields.push(['Principal', () => writePrincipal(out, s.principal as Principal)]);
  fields.push([s.action.not === true ? 'NotAction' : 'Action', () => writeMatcher(out, s.action)]);
  if (s.resource !== undefined)
    fields.push([s.resource.not === true ? 'NotResource' : 'Resource', () => writeMatcher(out, s.resource as Matcher<Text>)]);
  if (s.condition !== undefined) fields.push(['Condition', () => writeCondition(out, s.condition as readonly ConditionBlock[])]);
  writeObject(out, fields);
}

function writePrincipal(out: JsonOut, p: Principal): void {
  if (p.kind === 'service') writeObject(out, [['Service', () => writeMatcher(out, { values: p.services })]]);
  else writeObject(out, [['Federated', () => out.text(p.provider)]]);
}

function writeCondition(out: JsonOut, blocks: readonly ConditionBlock[]): void {
  writeObject(
    out,
    blocks.map((b): [string, () => void] => [
      b.operator,
      () =>
        writeObject(
          out,
          b.entries.map((e): [string, () => void] => [e.key, () => writeValues(out, e.values, e.list)]),
        ),
    ]),
  );
}

function writeObject(out: JsonOut, fields: readonly [string, () => void][]): void {
  out.raw('{');
  fields.forEach(([key, value], i) => {
    out.raw(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
    value();
  });
  out.raw('}');
}

function writeMatcher(out: JsonOut, m: Matcher<Text>): void {
  if (m.values.length === 1 && m.list !== true) {
    out.text(m.values[0] as Text);
    return;
  }
  out.raw('[');
  m.values.forEach((v, i) => {
    if (i > 0) out.raw(',');
    out.text(v);
  });
  out.raw(']');
}

function writeValues(out: JsonOut, values: readonly ConditionValue[], list: boolean): void {
  const one = (v: ConditionValue): void => {
    if (typeof v === 'string') out.text(v);
    else if (typeof v === 'boolean') out.raw(String(v));
    else out.raw(v.number);
  };
  if (values.length === 1 && !list) {
    one(values[0] as ConditionValue);
    return;
  }
  out.raw('[');
  values.forEach((v, i) => {
    if (i > 0) out.raw(',');
    one(v);
  });
  out.raw(']');
}

/** Where a policy is written: JSON text, and text values (JSON strings that may hold references). */
interface JsonOut {
  raw(json: string): void;
  text(t: Text): void;
}

/** Accumulates JSON text and references, merging adjacent text. */
class JsonWriter implements JsonOut {
  readonly parts: (string | Ref)[] = [];

  raw(json: string): void {
    const last = this.parts.length - 1;
    if (typeof this.parts[last] === 'string') this.parts[last] += json;
    else this.parts.push(json);
  }

  /** A JSON string holding the text; each plain part escaped on its own, references in between. */
  text(t: Text): void {
    if (typeof t === 'string') {
      this.raw(JSON.stringify(t));
      return;
    }
    this.raw('"');
    for (const part of t) {
      if (typeof part === 'string') this.raw(JSON.stringify(part).slice(1, -1));
      else this.parts.push(part);
    }
    this.raw('"');
  }
}

/** A character that JSON.stringify escapes, or that IAM does not count (space and below): the slow path of `stringSize`. */
const NOT_PLAIN = /[\u0000-\u0020"\\\ud800-\udfff]/;

/** Counts what {@link JsonWriter} would write, as IAM counts it (whitespace left out), without writing it. */
class SizeCounter implements JsonOut {
  size = 0;

  constructor(private readonly spell: (ref: Ref) => string) {}

  raw(json: string): void {
    this.size += policySize(json);
  }

  text(t: Text): void {
    if (typeof t === 'string') {
      this.size += stringSize(t);
      return;
    }
    this.size += 2;
    for (const part of t) this.size += typeof part === 'string' ? stringSize(part) - 2 : policySize(this.spell(part));
  }
}

/** The counted size of a value as a JSON string, quotes included. */
function stringSize(value: string): number {
  return NOT_PLAIN.test(value) ? policySize(JSON.stringify(value)) : value.length + 2;
}

/** The size IAM counts for a policy's JSON text: its characters less spaces, tabs and line breaks. */
export function policySize(json: string): number {
  let n = 0;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) n += 1;
  }
  return n;
}
