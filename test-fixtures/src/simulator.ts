// Test-only: loads @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency). Never import this
// module from packages/core/src or apps/kops-iam/src.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Simulator = typeof import('@cloud-copilot/iam-simulate');

/**
 * The simulator, loaded through Node's `require` (its CommonJS build) so that one pure
 * function of its @cloud-copilot/iam-utils can be memoized: finding the resource types an
 * ARN can be (an automaton intersection per candidate type, ~100 types for ec2:CreateTags)
 * takes most of a simulation, and the matrices ask about the same few sample ARNs tens of
 * thousands of times. The answers do not change; if the module's layout ever does, the
 * simulator simply runs unmemoized.
 */
function load(): Simulator {
  const requireHere = createRequire(__filename);
  const entry = requireHere.resolve('@cloud-copilot/iam-simulate');
  const requireSimulator = createRequire(entry);
  try {
    const utilsEntry = requireSimulator.resolve('@cloud-copilot/iam-utils');
    const types = requireSimulator(join(dirname(utilsEntry), 'resourceTypes.js')) as Record<string, unknown>;
    for (const name of ['resourceStringMatchesResourceTypePattern', 'mostSpecificMatchingResourceTypePatterns']) {
      const original = types[name];
      if (typeof original !== 'function') continue;
      const memo = new Map<string, unknown>();
      types[name] = (resource: string, patterns: string | readonly string[]) => {
        const key = `${resource}\n${typeof patterns === 'string' ? patterns : patterns.join('\n')}`;
        if (!memo.has(key)) memo.set(key, original(resource, patterns));
        const value = memo.get(key);
        return Array.isArray(value) ? [...(value as unknown[])] : value;
      };
    }
  } catch {
    // Unmemoized: slower, equally right.
  }
  return requireSimulator(entry) as Simulator;
}

export const { runSimulation, isWildcardOnlyAction } = load();
