import type { TerraformElement, TerraformStack } from 'cdktf';

/**
 * The Terraform addresses each stack's KopsIamRoles have taken. Logical ids are fixed
 * (kops' names), and cdktf would silently let a second element with the same id replace
 * the first in the JSON: two clusters without dnsZone would then share one
 * `hosted_zone_id` variable and be scoped to the same zone.
 */
const takenAddresses = new WeakMap<TerraformStack, Set<string>>();

/** Elements all KopsIamRoles of a stack share (the caller's identity), by address: the first declares it. */
const sharedElements = new WeakMap<TerraformStack, Map<string, TerraformElement>>();

export function sharedElement(stack: TerraformStack, type: string, logicalId: string, make: () => TerraformElement): TerraformElement {
  const elements = sharedElements.get(stack) ?? new Map<string, TerraformElement>();
  sharedElements.set(stack, elements);
  const address = `${type}.${logicalId}`;
  let element = elements.get(address);
  if (element === undefined) {
    element = make();
    element.overrideLogicalId(logicalId);
    elements.set(address, element);
  }
  return element;
}

/** Gives an element its kops address in `stack`, refusing one another KopsIamRoles of the stack already took. */
export function takeAddress(stack: TerraformStack, element: TerraformElement, type: string, logicalId: string): void {
  const taken = takenAddresses.get(stack) ?? new Set<string>();
  takenAddresses.set(stack, taken);
  const address = `${type}.${logicalId}`;
  if (taken.has(address)) {
    const hint =
      type === 'var'
        ? '; give each cluster its zone with the hostedZoneId property (or set spec.dnsZone)'
        : '; is the same cluster added twice?';
    throw new Error(`kops-iam: ${address} is already declared in stack ${stack.node.id} by another KopsIamRoles${hint}`);
  }
  taken.add(address);
  element.overrideLogicalId(logicalId);
}
