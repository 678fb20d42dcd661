import type { Ref } from '@kops-iam/core';
import { describe, expect, it } from 'vitest';
import { terraformTemplate } from '../src/terraform-template';

const zone: Ref = { kind: 'hosted-zone-id' };
const spell = (): string => '${data.aws_route53_zone.z.zone_id}';

// The property test (test-fixtures/test/escaping.test.ts) checks every template against Terraform's
// evaluation; these pin what is written as it is and what is escaped.
describe('terraformTemplate', () => {
  it('writes JSON text without template sequences as it is, with references spelled in place', () => {
    const parts = ['{"Statement":[{"Resource":"arn:aws:route53:::hostedzone/', zone, '"}]}'];
    expect(terraformTemplate(parts, spell)).toBe(
      '{"Statement":[{"Resource":"arn:aws:route53:::hostedzone/${data.aws_route53_zone.z.zone_id}"}]}',
    );
    expect(terraformTemplate(['a $ b % c # d & e {x}'], spell)).toBe('a $ b % c # d & e {x}');
  });

  it('escapes template sequences, breaks token markers, and a $ right before a reference', () => {
    expect(terraformTemplate(['${aws:username} %{if}'], spell)).toBe('$${aws:username} %%{if}');
    expect(terraformTemplate(['#{TfToken[TOKEN.1]}'], spell)).toBe('#${"{"}TfToken[TOKEN.1]}');
    expect(terraformTemplate(['&{TfToken[TOKEN.1]}'], spell)).toBe('&${"{"}TfToken[TOKEN.1]}');
    expect(terraformTemplate(['cost: $', zone], spell)).toBe('cost: ${"$"}${data.aws_route53_zone.z.zone_id}');
  });
});
