import './defer-archiver'; // before cdktf
import type { IamPlan } from '@kops-iam/core';
import { App, DefaultTokenResolver, StringConcat, TerraformElement, Token, Tokenization } from 'cdktf';
import { deepMerge } from 'cdktf/lib/util';
import { ClusterStack, portableTerraformJson, terraformJsonText, type ClusterStackOptions } from './cluster-stack';

/**
 * Synthesizes clusters one at a time in one cdktf App, dropping each stack once its JSON
 * is out, so memory stays that of one stack however many clusters there are.
 */
export class StackSynthesizer {
  private readonly app: App;

  /**
   * `outdir` is where cdktf's App creates its (empty) `stacks` folder: give the staging
   * folder, so that nothing appears in the working directory. `options.importExisting`
   * adds the `import` blocks that adopt what kops created (`kops-iam synth --import`).
   */
  constructor(
    outdir: string,
    private readonly options: ClusterStackOptions = {},
  ) {
    this.app = new App({ outdir, stackTraces: false, skipValidation: true });
  }

  /** The Terraform JSON text of a cluster's stack, as `cdk.tf.json` holds it. */
  synthesize(plan: IamPlan): string {
    const id = plan.cluster;
    const mark = tokenMark();
    const captureStackTrace = Error.captureStackTrace;
    // cdktf records a full stack trace for every token it creates (a dozen per resource),
    // only to quote it in errors about unresolvable tokens: a quarter of the synth time.
    // Its capture leaves an empty trace when Error.captureStackTrace does nothing; the
    // JSON is the same. Restored before anything else runs, as synthesis is synchronous.
    Error.captureStackTrace = skipStackTrace;
    try {
      return terraformJsonText(clusterStackJson(new ClusterStack(this.app, id, plan, this.options)));
    } finally {
      Error.captureStackTrace = captureStackTrace;
      this.app.node.tryRemoveChild(id);
      releaseTokens(mark);
    }
  }
}

function skipStackTrace(): void {}

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * What `ClusterStack.toTerraform()` returns, for a third less work. cdktf's
 * `TerraformStack.toTerraform()` resolves every element, merges them, and then resolves
 * the merged whole a second time, together with a `"//"` metadata block built from
 * every element, which ClusterStack strips again. Here each element is resolved once
 * and merged the same way, in the same order, so keys and values come out the same;
 * the `"//"` keys of the elements and the backend go, as ClusterStack drops them.
 * A test compares both for plans of every kind.
 */
function clusterStackJson(stack: ClusterStack): Record<string, unknown> {
  const tf: Record<string, unknown> = {};
  for (const element of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(element) || element.cdktfStack !== stack) continue;
    const json = element.toTerraform();
    deepMerge(tf, isPlainJson(json) ? json : Tokenization.resolve(json, { scope: stack, preparing: false, resolver: TOKEN_RESOLVER }));
  }
  deepMerge(tf, (stack as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides);
  return portableTerraformJson(tf);
}

/**
 * True when resolving `value` would change nothing: plain objects and arrays of strings
 * without cdktf token markers, booleans and numbers that are not tokens. The construct
 * spells its own references as Terraform expressions, so most elements are plain: resolving
 * them anyway was a third of the time of a many-addons stack (cpu profile, 1,000 stacks).
 * `undefined` in an array (resolve drops it) and any other object (a Lazy, a class) are not.
 */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return !value.includes('{TfToken[');
    case 'boolean':
      return true;
    case 'number':
      return !Token.isUnresolved(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((v) => v !== undefined && isPlainJson(v));
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key];
        if (key.includes('{TfToken[') || (v !== undefined && !isPlainJson(v))) return false;
      }
      return true;
    }
    default:
      return value === undefined;
  }
}

/**
 * cdktf's process-wide token registry (`global.__cdktfTokenMap`, shared by all copies of
 * cdktf). It keeps every token ever stringified, and tokens reference their resources:
 * without clean-up every synthesized stack stays in memory, and time grows faster than
 * the number of clusters (garbage collection over an ever larger heap).
 */
interface TokenRegistry {
  tokenCounter: number;
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

function tokenRegistry(): TokenRegistry | undefined {
  const r = (globalThis as { __cdktfTokenMap?: Partial<TokenRegistry> }).__cdktfTokenMap;
  const ok = r !== undefined && typeof r.tokenCounter === 'number' && r.stringTokenMap instanceof Map && r.numberTokenMap instanceof Map;
  return ok ? (r as TokenRegistry) : undefined;
}

/** The registry's counter before a stack is built: tokens numbered from here on are the stack's. */
function tokenMark(): number {
  return tokenRegistry()?.tokenCounter ?? Number.POSITIVE_INFINITY;
}

/**
 * Forgets the tokens registered since `mark` (string keys end in `.<counter>`, number
 * keys are the counter). They belong to the stack just removed; a token still in use
 * would make cdktf throw "unrecognized token key", never change the output silently.
 */
function releaseTokens(mark: number): void {
  const registry = tokenRegistry();
  if (registry === undefined || registry.tokenCounter <= mark) return;
  for (const key of registry.stringTokenMap.keys()) {
    if (Number(key.slice(key.lastIndexOf('.') + 1)) >= mark) registry.stringTokenMap.delete(key);
  }
  for (const key of registry.numberTokenMap.keys()) if (key >= mark) registry.numberTokenMap.delete(key);
}
