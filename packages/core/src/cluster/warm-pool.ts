import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { InstanceRoleKind } from './roles';
import { readBoolean } from './scalars';

/** A warm pool setting of an InstanceGroup or the cluster's default, as far as IAM cares. */
export interface WarmPoolSetting {
  /** `maxSize` when written: a warm pool with `maxSize: 0` is off. */
  readonly maxSize?: number;
  readonly enableLifecycleHook?: boolean;
}

/** Reads a `warmPool` mapping (of a group, or the cluster's `spec.warmPool`). */
export function warmPoolOf(node: YamlNode, report: Report): { warmPool?: WarmPoolSetting } {
  if (node.unset) return {};
  const max = node.get('maxSize').scalar();
  const hook = readBoolean(node.get('enableLifecycleHook'), report);
  return {
    warmPool: { ...(typeof max === 'number' ? { maxSize: max } : {}), ...(hook !== undefined ? { enableLifecycleHook: hook } : {}) },
  };
}

/**
 * True when a group of `role` runs a warm pool with a lifecycle hook, as kops resolves
 * it (WarmPoolSpec.ResolveDefaults): control-plane and bastion groups use only their own
 * setting; other groups inherit the cluster's maxSize and lifecycle hook where unset.
 */
export function hasLifecycleHook(role: InstanceRoleKind, own: WarmPoolSetting | undefined, cluster: WarmPoolSetting | undefined): boolean {
  const inherits = cluster !== undefined && role !== 'master' && role !== 'bastion';
  const resolved =
    own === undefined
      ? inherits
        ? cluster
        : undefined
      : inherits
        ? {
            maxSize: own.maxSize ?? cluster.maxSize,
            enableLifecycleHook: own.enableLifecycleHook === true || cluster.enableLifecycleHook === true,
          }
        : own;
  if (resolved === undefined) return false;
  const enabled = resolved.maxSize === undefined || resolved.maxSize !== 0;
  return enabled && resolved.enableLifecycleHook === true;
}
