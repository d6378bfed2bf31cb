import { iso } from '../common/time';
import { topicsOf } from '../common/topics';
import { Institution } from '../institutions/institution.entity';
import { IncidentView, SEVERITY_WORDS } from './dto/incident.dto';
import { Incident } from './incident.entity';

export function toIncidentView(i: Incident, institution?: Pick<Institution, 'id' | 'name' | 'city' | 'state'> | null): IncidentView {
  const inst = institution ?? i.institution ?? null;
  return {
    id: i.id,
    institutionId: i.institutionId,
    institution: inst ? { id: inst.id, name: inst.name, city: inst.city, state: inst.state } : null,
    state: i.state,
    appearanceId: i.appearanceId,
    kind: i.kind,
    occurredAt: iso(i.occurredAt),
    recordedAt: iso(i.recordedAt),
    severity: i.severity,
    severityLabel: SEVERITY_WORDS[i.severity - 1] ?? String(i.severity),
    crowdSize: i.crowdSize,
    impact: i.impact,
    target: i.target,
    topics: topicsOf(i.topicMask),
    source: i.source,
    verification: i.verification,
    dispute: i.disputeStatement !== null && i.disputeStatement !== undefined ? { statement: i.disputeStatement, recordedById: i.disputeRecordedById, recordedAt: iso(i.disputeRecordedAt) } : null,
    description: i.description,
    descriptionExpiredAt: iso(i.descriptionExpiredAt),
    recordedById: i.recordedById,
    importKey: i.importKey,
    version: i.version,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}

export const INCIDENT_CSV_COLUMNS = [
  'id',
  'occurred_at',
  'institution_id',
  'institution',
  'city',
  'state',
  'appearance_id',
  'kind',
  'severity',
  'crowd_size',
  'impact',
  'target',
  'topics',
  'source',
  'verification',
  'dispute_statement',
  'description',
  'recorded_at',
  'import_key',
] as const;

export function toIncidentCsvRow(i: Incident): Record<string, unknown> {
  return {
    id: i.id,
    occurred_at: iso(i.occurredAt),
    institution_id: i.institutionId,
    institution: i.institution?.name ?? '',
    city: i.institution?.city ?? '',
    state: i.state,
    appearance_id: i.appearanceId ?? '',
    kind: i.kind,
    severity: i.severity,
    crowd_size: i.crowdSize,
    impact: i.impact,
    target: i.target,
    topics: topicsOf(i.topicMask).join(';'),
    source: i.source,
    verification: i.verification,
    dispute_statement: i.disputeStatement ?? '',
    description: i.description ?? '',
    recorded_at: iso(i.recordedAt),
    import_key: i.importKey ?? '',
  };
}
