/**
 * A copy of a string that does not keep alive the text it was cut from. V8 represents a
 * substring as a slice of its parent: a cluster name read from a manifest would hold the
 * whole document's text in memory for as long as the name is kept.
 */
export function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
