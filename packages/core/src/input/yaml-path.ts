import { isPair, isScalar, isSeq } from 'yaml';

/** Joins a key onto a YAML path, quoting keys that are not plain identifiers: `spec["kops.k8s.io/cluster"]`. */
export function joinKey(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return part.startsWith('"') ? `[${part}]` : part;
  return part.startsWith('"') ? `${path}[${part}]` : `${path}.${part}`;
}

/** The YAML path of a node from the ancestors the yaml package's visitor passes. */
export function pathOfAncestors(ancestors: readonly unknown[], leaf: unknown): string {
  const chain = [...ancestors, leaf];
  let path = '';
  chain.forEach((n, i) => {
    if (isPair(n)) path = joinKey(path, isScalar(n.key) ? String(n.key.value) : '?');
    else if (isSeq(n)) {
      const index = n.items.indexOf(chain[i + 1] as never);
      if (index !== -1) path = `${path}[${index}]`;
    }
  });
  return path;
}
