import { chance, int, pick, type Random } from '../prng';
import { clusterField, groupField } from './iam-fields';
import { mutatePolicyText, policyData } from './policy-mutations';
import { embedHostile, KEYS, RAW_SCALARS, randomText, WORDS } from './values';
import { fromJs, type YNode, type YPair } from './yaml-tree';

/** A change at one node; undefined when it does not apply there. */
type NodeOp = (r: Random, node: YNode) => YNode | undefined;

type Collection = Extract<YNode, { t: 'map' } | { t: 'seq' }>;
type MapNode = Extract<YNode, { t: 'map' }>;

const API_VERSIONS = ['kops.k8s.io/v1alpha2', 'kops/v1alpha2', 'kops/v1alpha1', 'v1', 'kops.k8s.io/v1alpha3', 'apps/v1'];
const str = (v: string): YNode => ({ t: 'str', v });
const raw = (text: string): YNode => ({ t: 'raw', text });
const children = (n: YNode): readonly YNode[] => (n.t === 'map' ? n.pairs.map((p) => p[1]) : n.t === 'seq' ? n.items : []);

function withChild(n: Collection, i: number, child: YNode): YNode {
  if (n.t === 'seq') return { ...n, items: n.items.map((x, k) => (k === i ? child : x)) };
  return { ...n, pairs: n.pairs.map((p, k) => (k === i ? ([p[0], child] as const) : p)) };
}

/**
 * Walks down from `node` to a random place (stopping early at each level with some
 * probability) and applies `op` where it applies; the path to it is copied, the rest shared.
 * Returns the same object when nothing changed.
 */
export function somewhere(r: Random, node: YNode, op: NodeOp, depth = 0): YNode {
  const kids = children(node);
  if (kids.length === 0 || chance(r, 0.25) || depth > 12) {
    const changed = op(r, node);
    if (changed !== undefined || kids.length === 0) return changed ?? node;
  }
  const i = int(r, kids.length);
  const child = somewhere(r, kids[i] as YNode, op, depth + 1);
  return child === kids[i] ? node : withChild(node as Collection, i, child);
}

const hostile: NodeOp = (r, n) => {
  if (n.t !== 'str' && n.t !== 'raw') return undefined;
  if (n.t === 'str' && chance(r, 0.5)) return { ...n, v: embedHostile(r, n.v) };
  return str(randomText(r));
};

const retype: NodeOp = (r, n) => {
  if (n.t === 'alias') return undefined;
  return pick(r, [
    raw(pick(r, RAW_SCALARS)),
    { t: 'map', pairs: [] },
    { t: 'seq', items: [] },
    { t: 'seq', items: [n] },
    str(pick(r, WORDS)),
  ]);
};

const mapOp =
  (f: (r: Random, n: MapNode) => YNode | undefined): NodeOp =>
  (r, n) =>
    n.t === 'map' && n.pairs.length > 0 ? f(r, n) : undefined;

const deleteKey = mapOp((r, n) => {
  const i = int(r, n.pairs.length);
  return { ...n, pairs: n.pairs.filter((_, k) => k !== i) };
});

const duplicateKey = mapOp((r, n) => {
  const p = pick(r, n.pairs);
  const value = chance(r, 0.5) ? p[1] : str(randomText(r));
  return { ...n, pairs: [...n.pairs, [p[0], value] as YPair] };
});

const renameKey = mapOp((r, n) => {
  const i = int(r, n.pairs.length);
  const key = chance(r, 0.7) ? str(pick(r, KEYS)) : str(randomText(r));
  return { ...n, pairs: n.pairs.map((p, k) => (k === i ? ([key.t === 'str' && key.v === '<<' ? raw('<<') : key, p[1]] as const) : p)) };
});

const nest: NodeOp = (r, n) => {
  let out = n;
  for (let d = pick(r, [1, 2, 8, 40, 70]); d > 0; d -= 1)
    out = d % 2 === 0 ? { t: 'seq', items: [out] } : { t: 'map', pairs: [[str('x'), out]] };
  return out;
};

/** An anchor on a collection value and a later alias of it: as a plain value, or as a `<<` merge key. */
const aliasOrMerge = mapOp((r, n) => {
  const targets = n.pairs.map((p, i) => (p[1].t === 'map' || p[1].t === 'seq' ? i : -1)).filter((i) => i >= 0);
  if (targets.length === 0) return undefined;
  const i = pick(r, targets);
  const name = `a${int(r, 1000)}`;
  const target = n.pairs[i] as YPair;
  const pairs = n.pairs.map((p, k) => (k === i ? ([p[0], { ...(p[1] as Collection), anchor: name }] as const) : p));
  const key = target[1].t === 'map' && chance(r, 0.6) ? raw('<<') : str(pick(r, KEYS));
  return { ...n, pairs: [...pairs, [key, { t: 'alias', name }] as YPair] };
});

/** A small "billion laughs": levels of ten aliases each. */
const aliasBomb = mapOp((r, n) => {
  const pairs: YPair[] = [[str('b0'), { t: 'seq', items: Array(10).fill(str('x')), anchor: 'b0' }]];
  for (let k = 1, levels = pick(r, [3, 5, 9]); k < levels; k += 1)
    pairs.push([str(`b${k}`), { t: 'seq', items: Array(10).fill({ t: 'alias', name: `b${k - 1}` }), anchor: `b${k}` }]);
  return { ...n, pairs: [...n.pairs, ...pairs] };
});

/** A policy text (a JSON string) changed as JSON, or turned into the YAML-list form. */
const policy: NodeOp = (r, n) => {
  if (n.t !== 'str' || !/^\s*[[{]/.test(n.v)) return undefined;
  if (chance(r, 0.2)) {
    const data = policyData(n.v);
    return data === undefined ? undefined : fromJs(data);
  }
  const text = mutatePolicyText(r, n.v);
  return text === undefined ? undefined : { t: 'str', v: text, block: true };
};

/** The weighted node operations (a policy change falls back to a hostile scalar where there is no policy). */
const NODE_OPS: readonly [number, string, NodeOp][] = [
  [30, 'hostile text in a scalar', hostile],
  [10, 'a value of another type', retype],
  [10, 'a key deleted', deleteKey],
  [5, 'a key duplicated', duplicateKey],
  [5, 'a key renamed', renameKey],
  [4, 'nested deeper', nest],
  [7, 'an alias or merge key', aliasOrMerge],
  [1, 'an alias bomb', aliasBomb],
  [14, 'a policy changed', (r, n) => policy(r, n) ?? hostile(r, n)],
];

/** A random node operation by weight, with its name. */
export function nodeOp(r: Random): { name: string; op: NodeOp } {
  let k = r() * NODE_OPS.reduce((a, [w]) => a + w, 0);
  for (const [w, name, op] of NODE_OPS) {
    k -= w;
    if (k < 0) return { name, op };
  }
  return { name: 'hostile text in a scalar', op: hostile };
}

/** Sets a field of SPEC §9 in a document's spec (a Cluster's or an InstanceGroup's), or changes its kind/apiVersion/role. */
export function changeDocument(r: Random, doc: YNode): YNode {
  if (doc.t !== 'map') return doc;
  const kind = doc.pairs.find(([k]) => k.t === 'str' && k.v === 'kind')?.[1];
  const isGroup = kind?.t === 'str' && kind.v === 'InstanceGroup';
  if (chance(r, 0.15)) {
    const key = pick(r, ['apiVersion', 'kind']);
    const value = key === 'kind' ? pick(r, ['Cluster', 'InstanceGroup', 'Keyset', 'cluster', '__proto__']) : pick(r, API_VERSIONS);
    return setKey(doc, key, str(value));
  }
  const [key, value] = isGroup ? groupField(r) : clusterField(r);
  const spec = doc.pairs.find(([k]) => k.t === 'str' && k.v === 'spec')?.[1];
  const specMap: MapNode = spec?.t === 'map' ? spec : { t: 'map', pairs: [] };
  return setKey(doc, 'spec', setKey(specMap, key, fromJs(value)));
}

function setKey(n: MapNode, key: string, value: YNode): MapNode {
  const i = n.pairs.findIndex(([k]) => k.t === 'str' && k.v === key);
  if (i < 0) return { ...n, pairs: [...n.pairs, [str(key), value]] };
  return { ...n, pairs: n.pairs.map((p, k) => (k === i ? ([p[0], value] as const) : p)) };
}
