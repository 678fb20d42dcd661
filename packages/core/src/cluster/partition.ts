import { partition as sdkPartition } from '@aws-sdk/util-endpoints';

/** The AWS partition a region belongs to, as ARNs and service principals need it. */
export interface Partition {
  /** The ARN partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, … */
  readonly name: string;
  /** The partition's DNS suffix, e.g. `amazonaws.com.cn`. */
  readonly dnsSuffix: string;
  /** True when the region is listed in AWS's partition data (not merely matching a pattern). */
  readonly knownRegion: boolean;
}

/** Looks the region up in the AWS SDK's maintained partition data. */
export function partitionOf(region: string): Partition {
  const p = sdkPartition(region);
  // The SDK adds a region's description only for regions its data lists; patterns match unlisted ones too.
  const described = (p as { description?: unknown }).description;
  return { name: p.name, dnsSuffix: p.dnsSuffix, knownRegion: typeof described === 'string' };
}

/** An ARN in the partition: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arn(p: Partition, service: string, resource: string, region = '', account = ''): string {
  return `arn:${p.name}:${service}:${region}:${account}:${resource}`;
}
