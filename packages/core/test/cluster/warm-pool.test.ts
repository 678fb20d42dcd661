import { describe, expect, it } from 'vitest';
import { hasLifecycleHook, warmPoolOf, type WarmPoolSetting } from '../../src/cluster/warm-pool';
import type { InstanceRoleKind } from '../../src/cluster/roles';
import { specLines } from '../helpers';

// kops' WarmPoolSpec.ResolveDefaults and IsEnabled (/work/notes/kops-addons.md §3.9): a group without a warm pool of its
// own takes the cluster's, unless it is a control-plane or bastion group; a group with one takes the cluster's maxSize
// where unset and its lifecycle hook where false; a warm pool with maxSize 0 is off.

describe('hasLifecycleHook', () => {
  const cases: [InstanceRoleKind, WarmPoolSetting | undefined, WarmPoolSetting | undefined, boolean][] = [
    ['node', undefined, undefined, false],
    ['node', undefined, { enableLifecycleHook: true }, true],
    ['apiserver', undefined, { enableLifecycleHook: true, maxSize: 1 }, true],
    ['node', undefined, { enableLifecycleHook: true, maxSize: 0 }, false],
    ['node', undefined, { maxSize: 3 }, false],
    ['master', undefined, { enableLifecycleHook: true }, false],
    ['bastion', undefined, { enableLifecycleHook: true }, false],
    ['node', {}, { enableLifecycleHook: true }, true],
    ['node', { enableLifecycleHook: false }, { enableLifecycleHook: true }, true],
    ['node', { enableLifecycleHook: true }, undefined, true],
    ['node', { enableLifecycleHook: true, maxSize: 0 }, { maxSize: 3 }, false],
    ['node', { enableLifecycleHook: true }, { maxSize: 0 }, false],
    ['node', { enableLifecycleHook: true, maxSize: 2 }, { maxSize: 0 }, true],
    ['master', { enableLifecycleHook: true }, { maxSize: 0 }, true],
    ['bastion', { maxSize: 1 }, { enableLifecycleHook: true }, false],
  ];
  it.each(cases)('a %s group with %j, cluster default %j: %s', (role, own, cluster, expected) => {
    expect(hasLifecycleHook(role, own, cluster)).toBe(expected);
  });
});

describe('warmPoolOf', () => {
  function read(...lines: string[]) {
    const { spec, report } = specLines(...lines);
    return { setting: warmPoolOf(spec.get('warmPool'), report), diagnostics: report.diagnostics };
  }

  it('reads maxSize and enableLifecycleHook when written, nothing when there is no warm pool', () => {
    expect(read('  warmPool: {maxSize: 2, minSize: 1, enableLifecycleHook: true}').setting).toEqual({
      warmPool: { maxSize: 2, enableLifecycleHook: true },
    });
    expect(read('  warmPool: {}').setting).toEqual({ warmPool: {} });
    expect(read('  cloudProvider: aws').setting).toEqual({});
  });

  it('refuses a lifecycle hook setting that is not a boolean (KI213)', () => {
    expect(read('  warmPool: {enableLifecycleHook: "true"}').diagnostics).toMatchObject([
      { code: 'KI213', path: 'spec.warmPool.enableLifecycleHook' },
    ]);
  });
});
