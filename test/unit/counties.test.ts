/** Counties to regions, as people write county names. */
import { describe, expect, it } from 'vitest';
import { COUNTIES, regionOfCounty } from '../../rules/counties.js';
import { REGIONS } from '../../rules/domain.js';

describe('regionOfCounty', () => {
  it('knows every county and St. Louis City, each in one of the regions', () => {
    expect(COUNTIES).toHaveLength(115);
    expect(new Set(COUNTIES.map(([name]) => name)).size).toBe(115);
    for (const [name, , , region] of COUNTIES) expect(REGIONS, name).toContain(region);
  });

  it('reads a county however it is written', () => {
    expect(regionOfCounty('Boone')).toBe('Central');
    expect(regionOfCounty('  boone county ')).toBe('Central');
    expect(regionOfCounty('Saint Louis')).toBe('St. Louis');
    expect(regionOfCounty('St Louis City')).toBe('St. Louis');
    expect(regionOfCounty('Ste. Genevieve')).toBe('Southeast');
    expect(regionOfCounty('Jackson County')).toBe('Kansas City');
  });

  it('answers null for what is not a Missouri county', () => {
    expect(regionOfCounty('Cook')).toBeNull();
    expect(regionOfCounty('')).toBeNull();
    expect(regionOfCounty(null)).toBeNull();
  });
});
