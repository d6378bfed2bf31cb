/**
 * The demo's story, modelled on the motivating case (PRODUCT.md). Dates are relative to "now"
 * except for the 2020 events. These records are illustrative: they show how Forewarn keeps such a
 * history; they are not a factual account about the named bodies. The campus-protest context
 * imported beside them is real (Crowd Counting Consortium; see data-fixtures/demo/README.md).
 */
export const DAY = 86_400_000;

/** One user per role (passwords printed by `npm run demo`; demo only). */
export const DEMO_USERS = {
  admin: { email: 'admin@forewarn.demo', password: 'demo-admin-password', role: 'admin', name: 'Avery Admin' },
  coordinator: { email: 'coordinator@forewarn.demo', password: 'demo-coordinator-password', role: 'coordinator', name: 'Cleveland coordinator', office: 'cleveland' },
  recruiter: { email: 'recruiter@forewarn.demo', password: 'demo-recruiter-password', role: 'recruiter', name: 'Cleveland recruiter', office: 'cleveland' },
  hr: { email: 'hr@forewarn.demo', password: 'demo-hr-password', role: 'hr', name: 'HR reviewer' },
  nashville: { email: 'nashville.recruiter@forewarn.demo', password: 'demo-recruiter-password', role: 'recruiter', name: 'Nashville recruiter', office: 'nashville' },
  newyork: { email: 'newyork.recruiter@forewarn.demo', password: 'demo-recruiter-password', role: 'recruiter', name: 'New York recruiter', office: 'newyork' },
} as const;

export const DEMO_OFFICES = {
  cleveland: { name: 'Cleveland Field Office', region: 'Great Lakes', timeZone: 'America/New_York' },
  nashville: { name: 'Nashville Field Office', region: 'Southeast', timeZone: 'America/Chicago' },
  newyork: { name: 'New York Field Office', region: 'Northeast', timeZone: 'America/New_York' },
} as const;

export interface StoryReception {
  institution: string;
  kind: string;
  stance?: string;
  reason: string;
  source: string;
  /** ISO date, or days before now. */
  at: string | number;
  /** Record a wrong entry first, then this one as its correction. */
  corrects?: { kind: string; stance?: string; reason: string };
}

export interface StoryIncident {
  institution: string;
  kind: string;
  at: string | number;
  severity: number;
  crowdSize?: string;
  impact?: string;
  target: string;
  source: string;
  description?: string;
  dispute?: string;
  corroborate?: boolean;
}

export interface StoryAppearance {
  institution: string;
  office: 'cleveland' | 'nashville' | 'newyork';
  kind: string;
  title: string;
  inDays: number;
  local: [string, string];
  venue: string;
  format: string;
  audience: string;
  expectedAttendance: number;
  visibleBranding: boolean;
  protestAnnounced?: boolean;
  /** Booked inside the host's advance-notice period anyway (the assessment then carries the short-notice rule). */
  allowShortNotice?: boolean;
  recruiters: Array<'recruiter' | 'nashville' | 'newyork'>;
}

export const RECEPTION: StoryReception[] = [
  { institution: 'Kent State University at Kent', kind: 'invitation_accepted', reason: 'Booth confirmed for the spring career fair.', source: 'Career services e-mail', at: '2019-11-04' },
  {
    institution: 'Kent State University at Kent',
    kind: 'invitation_declined',
    reason: 'No booth offered for the autumn fair after the spring disruption.',
    source: 'Career services reply',
    at: '2020-09-01',
  },
  {
    institution: 'Kent State University at Kent',
    kind: 'invitation_accepted',
    reason: 'Career services invited the office back, with a room away from the main hall.',
    source: 'Career services e-mail',
    at: 60,
  },
  { institution: 'Metro Nashville Police Department', kind: 'welcomed', reason: 'Joint training day held at the department.', source: 'Office report', at: 700 },
  {
    institution: 'Metro Nashville Police Department',
    kind: 'partnership_declined',
    reason: 'Declined shared task-force office space "because of the affiliation".',
    source: 'Letter from the department',
    at: 150,
  },
  { institution: 'Franklin Police Department', kind: 'welcomed', reason: 'Hosted the community outreach table.', source: 'Office report', at: 200 },
  { institution: 'Tennessee Bureau of Investigation', kind: 'invitation_accepted', reason: 'Accepted a joint recruiting session.', source: 'Office report', at: 90 },
  {
    institution: 'New York State Department of Motor Vehicles',
    kind: 'access_restricted',
    reason: 'Records access restricted under the state data-sharing law.',
    source: 'Department letter',
    at: 280,
  },
  { institution: 'Vanderbilt University', kind: 'welcomed', reason: 'Information session went ahead as planned.', source: 'Debrief', at: 420 },
  {
    institution: 'Columbia University in the City of New York',
    kind: 'invitation_accepted',
    reason: 'Correction: career services confirmed the booth; the earlier entry named the wrong fair.',
    source: 'Career services e-mail',
    at: 45,
    corrects: { kind: 'access_restricted', stance: 'restricted', reason: 'Booth refused for the spring fair.' },
  },
  { institution: 'Ohio State University-Main Campus', kind: 'welcomed', reason: 'Campus visit hosted by the career office.', source: 'Debrief', at: 330 },
];

export const INCIDENTS: StoryIncident[] = [
  // Kent State, 2020 career fair: older than the retention period, so only the structured facts remain.
  {
    institution: 'Kent State University at Kent',
    kind: 'table_blocked',
    at: '2020-02-26T11:30:00-05:00',
    severity: 3,
    crowdSize: '10_49',
    impact: 'ended_early',
    target: 'organisation',
    source: 'news',
    corroborate: true,
  },
  {
    institution: 'Kent State University at Kent',
    kind: 'heckling',
    at: '2020-02-26T11:40:00-05:00',
    severity: 3,
    crowdSize: '10_49',
    impact: 'ended_early',
    target: 'organisation',
    source: 'news',
    corroborate: true,
  },
  {
    institution: 'New York State Department of Motor Vehicles',
    kind: 'access_denied',
    at: 240,
    severity: 2,
    impact: 'cancelled',
    target: 'organisation',
    source: 'partner',
    description: 'Partner complaint: a records-access request for background checks was refused by the department.',
    dispute: 'The department states that the request was handled under the state data-sharing law and disputes that access was refused.',
  },
  {
    institution: 'Vanderbilt University',
    kind: 'protest',
    at: 95,
    severity: 2,
    crowdSize: '10_49',
    impact: 'delayed',
    target: 'organisation',
    source: 'first_hand',
    description: 'About 30 students protested outside the information session; it started 20 minutes late and went ahead.',
  },
  {
    institution: 'Columbia University in the City of New York',
    kind: 'protest',
    at: 70,
    severity: 2,
    crowdSize: '50_99',
    impact: 'relocated',
    target: 'peer_recruiters',
    source: 'campus_media',
    description: "A defence employer's table at the career fair was moved after a protest; the campus paper reported it.",
  },
];

export const APPEARANCES: StoryAppearance[] = [
  {
    institution: 'Kent State University at Kent',
    office: 'cleveland',
    kind: 'career_fair',
    title: 'Kent State career fair',
    inDays: 9,
    local: ['10:00', '14:00'],
    venue: 'Kent Student Center, Room 306',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 400,
    visibleBranding: true,
    recruiters: ['recruiter'],
  },
  {
    institution: 'Ohio State University-Main Campus',
    office: 'cleveland',
    kind: 'info_session',
    title: 'Careers information session',
    inDays: 16,
    local: ['17:00', '18:30'],
    venue: 'Ohio Union',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 120,
    visibleBranding: false,
    recruiters: ['recruiter'],
  },
  {
    institution: 'Vanderbilt University',
    office: 'nashville',
    kind: 'info_session',
    title: 'Vanderbilt information session',
    inDays: 6,
    local: ['15:00', '16:30'],
    venue: 'Sarratt Student Center',
    format: 'hybrid',
    audience: 'invite_only',
    expectedAttendance: 60,
    visibleBranding: false,
    recruiters: ['nashville'],
  },
  {
    institution: 'Metro Nashville Police Department',
    office: 'nashville',
    kind: 'partnership_meeting',
    title: 'Task-force partnership follow-up',
    inDays: 20,
    local: ['09:30', '11:00'],
    venue: 'Department headquarters',
    format: 'in_person',
    audience: 'invite_only',
    expectedAttendance: 8,
    visibleBranding: true,
    recruiters: ['nashville'],
  },
  {
    institution: 'Tennessee State University',
    office: 'nashville',
    kind: 'career_fair',
    title: 'TSU career fair',
    inDays: 13,
    local: ['10:00', '15:00'],
    venue: 'Gentry Center',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 500,
    visibleBranding: true,
    protestAnnounced: true,
    recruiters: ['nashville'],
  },
  {
    institution: 'Columbia University in the City of New York',
    office: 'newyork',
    kind: 'career_fair',
    title: 'Columbia career fair',
    inDays: 11,
    local: ['11:00', '15:00'],
    venue: 'Lerner Hall',
    format: 'in_person',
    audience: 'public',
    expectedAttendance: 800,
    visibleBranding: true,
    recruiters: ['newyork'],
  },
  {
    institution: 'New York State Department of Motor Vehicles',
    office: 'newyork',
    kind: 'partnership_meeting',
    title: 'DMV records-sharing meeting',
    inDays: 5,
    local: ['10:00', '11:30'],
    venue: 'Empire State Plaza, Albany',
    format: 'in_person',
    audience: 'invite_only',
    expectedAttendance: 6,
    visibleBranding: false,
    allowShortNotice: true,
    recruiters: ['newyork'],
  },
  {
    institution: 'New York University',
    office: 'newyork',
    kind: 'campus_visit',
    title: 'NYU campus visit',
    inDays: 25,
    local: ['13:00', '15:00'],
    venue: 'Kimmel Center',
    format: 'in_person',
    audience: 'invite_only',
    expectedAttendance: 40,
    visibleBranding: false,
    recruiters: ['newyork'],
  },
];
