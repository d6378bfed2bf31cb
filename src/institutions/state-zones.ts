/**
 * US state / territory → IANA time zone, for rows that name a state but no zone (College Scorecard).
 * Where a state spans several zones the zone of most of its population (and of its largest
 * campuses) is used; the note says which parts differ, so an admin can correct a campus by hand
 * (PATCH /institutions/:id { timeZone }).
 */
export const STATE_ZONES: Record<string, { zone: string; note?: string }> = {
  AL: { zone: 'America/Chicago' },
  AK: { zone: 'America/Anchorage', note: 'the Aleutians west of 169°30′W use America/Adak' },
  AZ: { zone: 'America/Phoenix', note: 'no daylight saving; the Navajo Nation observes it (America/Denver)' },
  AR: { zone: 'America/Chicago' },
  CA: { zone: 'America/Los_Angeles' },
  CO: { zone: 'America/Denver' },
  CT: { zone: 'America/New_York' },
  DE: { zone: 'America/New_York' },
  DC: { zone: 'America/New_York' },
  FL: { zone: 'America/New_York', note: 'the Panhandle west of the Apalachicola River uses America/Chicago' },
  GA: { zone: 'America/New_York' },
  HI: { zone: 'Pacific/Honolulu' },
  ID: { zone: 'America/Boise', note: 'the northern Panhandle uses America/Los_Angeles' },
  IL: { zone: 'America/Chicago' },
  IN: { zone: 'America/Indiana/Indianapolis', note: 'north-west and south-west counties use America/Chicago' },
  IA: { zone: 'America/Chicago' },
  KS: { zone: 'America/Chicago', note: 'four western counties use America/Denver' },
  KY: { zone: 'America/New_York', note: 'the western half uses America/Chicago' },
  LA: { zone: 'America/Chicago' },
  ME: { zone: 'America/New_York' },
  MD: { zone: 'America/New_York' },
  MA: { zone: 'America/New_York' },
  MI: { zone: 'America/Detroit', note: 'four Upper Peninsula counties use America/Menominee' },
  MN: { zone: 'America/Chicago' },
  MS: { zone: 'America/Chicago' },
  MO: { zone: 'America/Chicago' },
  MT: { zone: 'America/Denver' },
  NE: { zone: 'America/Chicago', note: 'the western Panhandle uses America/Denver' },
  NV: { zone: 'America/Los_Angeles', note: 'West Wendover uses America/Denver' },
  NH: { zone: 'America/New_York' },
  NJ: { zone: 'America/New_York' },
  NM: { zone: 'America/Denver' },
  NY: { zone: 'America/New_York' },
  NC: { zone: 'America/New_York' },
  ND: { zone: 'America/Chicago', note: 'the south-west uses America/Denver' },
  OH: { zone: 'America/New_York' },
  OK: { zone: 'America/Chicago' },
  OR: { zone: 'America/Los_Angeles', note: 'most of Malheur County uses America/Boise' },
  PA: { zone: 'America/New_York' },
  RI: { zone: 'America/New_York' },
  SC: { zone: 'America/New_York' },
  SD: { zone: 'America/Chicago', note: 'the western half uses America/Denver' },
  TN: { zone: 'America/Chicago', note: 'East Tennessee (Knoxville, Chattanooga) uses America/New_York' },
  TX: { zone: 'America/Chicago', note: 'El Paso and Hudspeth counties use America/Denver' },
  UT: { zone: 'America/Denver' },
  VT: { zone: 'America/New_York' },
  VA: { zone: 'America/New_York' },
  WA: { zone: 'America/Los_Angeles' },
  WV: { zone: 'America/New_York' },
  WI: { zone: 'America/Chicago' },
  WY: { zone: 'America/Denver' },
  PR: { zone: 'America/Puerto_Rico' },
  VI: { zone: 'America/St_Thomas' },
  GU: { zone: 'Pacific/Guam' },
  MP: { zone: 'Pacific/Saipan' },
  AS: { zone: 'Pacific/Pago_Pago' },
  FM: { zone: 'Pacific/Pohnpei', note: 'Chuuk and Yap use Pacific/Chuuk' },
  MH: { zone: 'Pacific/Majuro' },
  PW: { zone: 'Pacific/Palau' },
};

/** Cities in a multi-zone state that are known to sit in the other zone (the ones our data has campuses in). */
const CITY_ZONES: Record<string, string> = {
  'TX|el paso': 'America/Denver',
  'FL|pensacola': 'America/Chicago',
  'FL|panama city': 'America/Chicago',
  'FL|niceville': 'America/Chicago',
  'FL|marianna': 'America/Chicago',
  'TN|knoxville': 'America/New_York',
  'TN|chattanooga': 'America/New_York',
  'TN|johnson city': 'America/New_York',
  'TN|kingsport': 'America/New_York',
  'TN|morristown': 'America/New_York',
  'TN|cleveland': 'America/New_York',
  'TN|jefferson city': 'America/New_York',
  'TN|harrogate': 'America/New_York',
  'TN|greeneville': 'America/New_York',
  'TN|maryville': 'America/New_York',
  'TN|athens': 'America/New_York',
  'TN|blountville': 'America/New_York',
  'TN|elizabethton': 'America/New_York',
  'KY|bowling green': 'America/Chicago',
  'KY|paducah': 'America/Chicago',
  'KY|murray': 'America/Chicago',
  'KY|owensboro': 'America/Chicago',
  'KY|hopkinsville': 'America/Chicago',
  'KY|madisonville': 'America/Chicago',
  'KY|henderson': 'America/Chicago',
  'IN|gary': 'America/Chicago',
  'IN|hammond': 'America/Chicago',
  'IN|valparaiso': 'America/Chicago',
  'IN|merrillville': 'America/Chicago',
  'IN|evansville': 'America/Chicago',
  'IN|east chicago': 'America/Chicago',
  'IN|whiting': 'America/Chicago',
  'ID|coeur d alene': 'America/Los_Angeles',
  'ID|lewiston': 'America/Los_Angeles',
  'ID|moscow': 'America/Los_Angeles',
  'NE|scottsbluff': 'America/Denver',
  'NE|sidney': 'America/Denver',
  'SD|rapid city': 'America/Denver',
  'SD|spearfish': 'America/Denver',
  'ND|dickinson': 'America/Denver',
  'OR|ontario': 'America/Boise',
  'MI|iron mountain': 'America/Menominee',
  'KS|goodland': 'America/Denver',
};

/** The IANA zone for a US state (and city, where the state spans zones), or null when unknown. */
export function zoneForState(state: string, city?: string | null): string | null {
  const st = (state ?? '').trim().toUpperCase();
  const byCity = city
    ? CITY_ZONES[
        `${st}|${city
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .trim()}`
      ]
    : undefined;
  return byCity ?? STATE_ZONES[st]?.zone ?? null;
}
