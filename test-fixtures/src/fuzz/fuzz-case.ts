import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputFile } from '@kops-iam/core';
import { listCases } from '../cases';
import { defaultSlots, legacyManifest, strictManifest } from '../escaping/manifests';
import { chance, int, pick, prng, type Random } from '../prng';
import { changeDocument, nodeOp, somewhere } from './mutations';
import { emitFile, parseYamlFile, type YFile } from './yaml-tree';

/** A valid input to mutate: its files, parsed once, and its feature flags. */
export interface FuzzSeed {
  readonly name: string;
  readonly files: readonly YFile[];
  /** The files as written unchanged (the case's other files). */
  readonly texts: readonly string[];
  readonly flags: string | undefined;
}

/** One mutated input: the files' text, the flags, and what was done (for the failure message). */
export interface FuzzCase {
  readonly n: number;
  readonly files: readonly InputFile[];
  readonly flags: string | undefined;
  readonly what: string;
  /** The case's own random numbers, after the mutation (the runner draws its choices from them). */
  readonly r: Random;
}

/** The valid golden cases (expected exit 0), plus the escaping test's strict and legacy clusters (every IAM field of §9). */
export function fuzzSeeds(): FuzzSeed[] {
  const golden = listCases()
    .filter((c) => {
      try {
        return readFileSync(join(c.dir, 'expected', 'exit-code'), 'utf8').trim() === '0';
      } catch {
        return false;
      }
    })
    .map((c) =>
      seedOf(
        c.name,
        c.inputs.map((f) => [f, readFileSync(join(c.dir, f), 'utf8')] as const),
        c.featureFlags,
      ),
    );
  const strict = seedOf('strict-all-fields', [['strict.yaml', strictManifest(defaultSlots('fuzz.example.com'))]], undefined);
  const legacy = seedOf(
    'legacy-kms-custom',
    [['legacy.yaml', legacyManifest(defaultSlots('legacy.example.com'))]],
    '+CustomPoliciesSupport',
  );
  return [...golden, strict, legacy];
}

function seedOf(name: string, files: readonly (readonly [string, string])[], flags: string | undefined): FuzzSeed {
  const parsed = files.map(([f, text]) => parseYamlFile(f, text));
  return { name, files: parsed, texts: parsed.map(emitFile), flags };
}

/** The random numbers of case `n` of a run: each case has its own, so one case replays alone. */
export function caseRandom(seed: number, n: number): Random {
  return prng((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35)) >>> 0);
}

/** Case `n` of a run: a seed input with one to three structural mutations (and sometimes one of its text). */
export function fuzzCase(seeds: readonly FuzzSeed[], seed: number, n: number): FuzzCase {
  const r = caseRandom(seed, n);
  const base = pick(r, seeds);
  const fileIndex = int(r, base.files.length);
  const file = base.files[fileIndex] as YFile;
  let docs = [...file.docs];
  const done: string[] = [];
  for (let k = 1 + (chance(r, 0.4) ? 1 + int(r, 2) : 0); k > 0 && docs.length > 0; k -= 1) {
    const d = int(r, docs.length);
    if (chance(r, 0.2)) {
      docs[d] = changeDocument(r, docs[d] as (typeof docs)[number]);
      done.push(`document ${d}: a spec field, kind or apiVersion`);
    } else {
      const { name, op } = nodeOp(r);
      docs[d] = somewhere(r, docs[d] as (typeof docs)[number], op);
      done.push(`document ${d}: ${name}`);
    }
  }
  if (chance(r, 0.05)) docs = docs.concat(docs.slice(0, 1));
  let text = emitFile({ name: file.name, docs });
  if (chance(r, 0.05)) {
    text = textMutation(r, text);
    done.push('a text change');
  }
  const files = base.files.map((f, i) => ({ name: f.name, text: i === fileIndex ? text : (base.texts[i] as string) }));
  const flags = chance(r, 0.05)
    ? pick(r, [undefined, '', '+CustomPoliciesSupport', '-CustomPoliciesSupport', 'customPoliciesSupport'])
    : base.flags;
  return { n, files, flags, what: `${base.name}/${file.name}: ${done.join('; ')}`, r };
}

const SPECIAL = [
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '#',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\\',
  '\n',
  '\n---\n',
  '\t',
  '\u0000',
  '\ufeff',
];

/** A change of the text itself: syntax the tree cannot express. */
function textMutation(r: Random, text: string): string {
  const at = int(r, text.length + 1);
  const how = int(r, 3);
  if (how === 0) return text.slice(0, at);
  if (how === 1) return `${text.slice(0, at)}${pick(r, SPECIAL)}${text.slice(at)}`;
  return `${text.slice(0, at)}${String.fromCharCode(32 + int(r, 95))}${text.slice(at + 1)}`;
}
