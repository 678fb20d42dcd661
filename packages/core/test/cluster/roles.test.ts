import { describe, expect, it } from 'vitest';
import { INSTANCE_GROUP_ROLES, INSTANCE_ROLES, roleOfPolicyKey, rolePlural, unknownRoleMessage } from '../../src/cluster/roles';

describe('roles', () => {
  it("lists kops-iam's instance roles in plan order, with kops' plurals", () => {
    expect(INSTANCE_ROLES).toEqual(['master', 'apiserver', 'node', 'bastion']);
    expect(INSTANCE_ROLES.map(rolePlural)).toEqual(['masters', 'apiservers', 'nodes', 'bastions']);
  });

  it('maps InstanceGroup roles, Master and ControlPlane alike', () => {
    expect([...INSTANCE_GROUP_ROLES]).toEqual([
      ['Master', 'master'],
      ['ControlPlane', 'master'],
      ['APIServer', 'apiserver'],
      ['Node', 'node'],
      ['Bastion', 'bastion'],
    ]);
  });

  it('maps policy keys, master and control-plane alike, and nothing else (not even Object.prototype names)', () => {
    expect(['master', 'control-plane', 'apiserver', 'node', 'bastion'].map(roleOfPolicyKey)).toEqual([
      'master',
      'master',
      'apiserver',
      'node',
      'bastion',
    ]);
    expect(['Master', 'nodes', 'constructor', '__proto__', 'toString', 'hasOwnProperty'].map(roleOfPolicyKey)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('suggests the key a mistyped one meant', () => {
    expect(unknownRoleMessage('nodes')).toBe(
      "unknown role 'nodes'; did you mean 'node'? use master, control-plane, apiserver, node or bastion",
    );
    expect(unknownRoleMessage('Control_Plane')).toBe(
      "unknown role 'Control_Plane'; did you mean 'control-plane'? use master, control-plane, apiserver, node or bastion",
    );
    expect(unknownRoleMessage('masters', ['master', 'node', 'bastion'])).toBe(
      "unknown role 'masters'; did you mean 'master'? use master, node or bastion",
    );
    expect(unknownRoleMessage('etcd')).toBe("unknown role 'etcd'; use master, control-plane, apiserver, node or bastion");
  });
});
