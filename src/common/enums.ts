/**
 * The words the API uses (PRODUCT.md). Stored as short strings; validated in DTOs.
 */
export const ROLES = ['admin', 'coordinator', 'recruiter', 'hr'] as const;
export type Role = (typeof ROLES)[number];

export const INSTITUTION_KINDS = ['university', 'college', 'police_department', 'local_government', 'community_organisation', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const APPEARANCE_KINDS = ['career_fair', 'info_session', 'campus_visit', 'community_outreach', 'partnership_meeting', 'training'] as const;
export type AppearanceKind = (typeof APPEARANCE_KINDS)[number];

export const APPEARANCE_FORMATS = ['in_person', 'virtual', 'hybrid'] as const;
export type AppearanceFormat = (typeof APPEARANCE_FORMATS)[number];

export const AUDIENCES = ['public', 'invite_only'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const APPEARANCE_STATUSES = ['planned', 'confirmed', 'completed', 'cancelled'] as const;
export type AppearanceStatus = (typeof APPEARANCE_STATUSES)[number];

export const RECEPTION_KINDS = [
  'welcomed',
  'invitation_accepted',
  'invitation_declined',
  'partnership_declined',
  'access_restricted',
  'appearance_cancelled_by_host',
  'policy_changed',
  'other',
] as const;
export type ReceptionKind = (typeof RECEPTION_KINDS)[number];

/** Ordered from best to worst: the index is used for trends. */
export const STANCES = ['welcoming', 'neutral', 'cautious', 'restricted', 'hostile'] as const;
export type Stance = (typeof STANCES)[number];

export const INCIDENT_KINDS = ['protest', 'heckling', 'table_blocked', 'materials_defaced', 'appearance_disrupted', 'host_cancelled', 'access_denied', 'threat', 'hostile_campaign', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Incident kinds that count as a disruption aimed at the organisation in the risk model (RISK_MODEL §1). */
export const DISRUPTIVE_KINDS: readonly IncidentKind[] = ['protest', 'heckling', 'table_blocked', 'appearance_disrupted', 'host_cancelled', 'access_denied'];

export const CROWD_BANDS = ['unknown', 'under_10', '10_49', '50_99', '100_499', '500_plus'] as const;
export type CrowdBand = (typeof CROWD_BANDS)[number];

export const IMPACTS = ['none', 'delayed', 'relocated', 'ended_early', 'cancelled'] as const;
export type Impact = (typeof IMPACTS)[number];

export const TARGETS = ['organisation', 'peer_recruiters', 'general_activism'] as const;
export type Target = (typeof TARGETS)[number];

export const SOURCES = ['first_hand', 'campus_media', 'news', 'partner'] as const;
export type Source = (typeof SOURCES)[number];

export const VERIFICATIONS = ['reported', 'corroborated', 'disputed'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export const RISK_LEVELS = ['low', 'moderate', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const OUTCOME_RESULTS = ['as_planned', 'disrupted', 'ended_early', 'cancelled_by_host', 'cancelled_by_us', 'moved_virtual'] as const;
export type OutcomeResult = (typeof OUTCOME_RESULTS)[number];

export const NOTIFICATION_KINDS = ['briefing', 'escalation', 'ack_escalation', 'reschedule', 'cancellation', 'weekly_digest', 'debrief_request', 'mail_dead'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Outbox rows that are not mail: a webhook delivery, a chat post. */
export type OutboxKind = NotificationKind | 'webhook' | 'chat';
export const OUTBOX_CHANNELS = ['email', 'webhook', 'slack', 'teams'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'retrying', 'dead', 'withdrawn'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * What an incident was about (several per incident). Stored as a bit mask (`incidents.topic_mask`,
 * bit i = TOPICS[i]) so the risk evidence can sum by relevance in SQL with one `&` per row.
 * Never reorder; add new topics at the end.
 */
export const TOPICS = ['immigration_enforcement', 'recruiting_employers', 'military_defence', 'policing', 'foreign_policy', 'labour', 'other'] as const;
export type Topic = (typeof TOPICS)[number];

/**
 * How a topic relates to the organisation (admin setting, RISK_MODEL §1):
 *  - affiliation: protests on it are about what the organisation is part of (an agency under an
 *    immigration-enforcement umbrella is shunned "because of the affiliation") — evidence about us;
 *  - activity: about what our staff do at an appearance (recruiting, defence employers at fairs);
 *  - context: unrelated campus activism (still a sign of how active a campus is).
 */
export const TOPIC_RELATIONS = ['affiliation', 'activity', 'context'] as const;
export type TopicRelation = (typeof TOPIC_RELATIONS)[number];

/** Scorecard vocabularies stored on institutions (RISK_MODEL §4: institution attributes). */
export const OWNERSHIPS = ['public', 'private nonprofit', 'private for-profit'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const HIGHEST_DEGREES = ['none', 'certificate', 'associate', 'bachelor', 'graduate'] as const;
export type HighestDegree = (typeof HIGHEST_DEGREES)[number];
