/** A region name as AWS writes them: `eu-central-1`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The region of an availability zone: the zone less its letter (`eu-central-1a`), and
 * for Local Zones (`us-west-2-lax-1a`) and Wavelength zones (`us-east-1-wl1-bos-wlz-1`)
 * the parent region they hang off. Returns undefined for something that is not a zone.
 */
export function regionOfZone(zone: string): string | undefined {
  const standard = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/.exec(zone);
  if (standard?.[1] !== undefined) return standard[1];
  const local = /^([a-z]{2}(?:-[a-z]+)+-\d+)-[a-z]+(?:-[a-z]+)?-\d+[a-z]$/.exec(zone);
  if (local?.[1] !== undefined) return local[1];
  const wavelength = /^([a-z]{2}(?:-[a-z]+)+-\d+)-wl\d+-[a-z]+-wlz-\d+$/.exec(zone);
  return wavelength?.[1];
}
