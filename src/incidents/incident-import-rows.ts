/**
 * One CSV row of an incident import → a draft incident (not yet matched to an institution): the
 * project's own format and the Crowd Counting Consortium's campus-protest format, each with its
 * stable import key. Pure: the import service matches, checks and stores the drafts.
 */
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { TOPICS } from '../common/enums';
import type { CrowdBand, Impact, IncidentKind, Source, Target, Verification } from '../common/enums';
import { ValidationFailedError } from '../common/errors';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { validateDto } from '../common/validation';
import { cccTopics, parseTopicList, topicMask } from '../common/topics';
import { IncidentCsvRow } from '../imports/dto/import.dto';
import { dedupeKey, normaliseState, normaliseText } from '../institutions/normalise';
import { Incident } from './incident.entity';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A head count → the product's crowd band. */
export function crowdBand(size: string | undefined): CrowdBand {
  const n = Number(String(size ?? '').replace(/[^\d.]/g, ''));
  if (!size || !Number.isFinite(n) || n <= 0) return 'unknown';
  return n < 10 ? 'under_10' : n < 50 ? '10_49' : n < 100 ? '50_99' : n < 500 ? '100_499' : '500_plus';
}

export interface Draft {
  row: number;
  ref: { id?: string; key?: string; nameState?: string; label: string };
  occurred: string;
  facts: Pick<Incident, 'kind' | 'severity' | 'crowdSize' | 'impact' | 'target' | 'source' | 'verification' | 'topicMask'>;
  description: string | null;
  disputeStatement: string | null;
  importKey: string;
}

export function fromProtest(row: number, r: Record<string, string>, occurrences: Map<string, number>): Draft {
  const fields: Record<string, string> = {};
  if (!r.institution) fields.institution = 'required';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.date ?? '')) fields.date = 'must be YYYY-MM-DD';
  if (Object.keys(fields).length) throw new ValidationFailedError('Invalid row', fields);
  const recruiting = /^(yes|true|1)$/i.test(r.about_recruiting ?? '');
  const topics = cccTopics(r);
  const content = [
    r.date,
    normaliseText(r.institution),
    normaliseText(r.city),
    normaliseState(r.state),
    r.kind ?? '',
    r.size ?? '',
    r.about_recruiting ?? '',
    r.about_immigration_enforcement ?? '',
    r.about_gaza ?? '',
  ].join('|');
  return {
    row,
    ref: nameRef(r.institution, r.city, r.state),
    occurred: r.date,
    facts: {
      kind: 'protest',
      severity: 1,
      crowdSize: crowdBand(r.size),
      impact: 'none',
      target: recruiting ? 'peer_recruiters' : 'general_activism',
      source: 'news',
      verification: 'reported',
      topicMask: topicMask(topics),
    },
    description: null,
    disputeStatement: null,
    importKey: key('ccc', content, occurrences),
  };
}

export function fromOwn(row: number, raw: Record<string, string>, occurrences: Map<string, number>): Draft {
  const plain: Record<string, string> = {};
  for (const k of ['kind', 'severity', 'target', 'source', 'crowd_size', 'impact', 'verification', 'description', 'dispute_statement', 'import_key', 'topics'])
    if (raw[k] !== undefined && raw[k] !== '') plain[k] = raw[k];
  plain.date = raw.date || raw.occurred_at || '';
  const r = validateDto(IncidentCsvRow, plain);
  assertNoPersonalData({ import_key: r.import_key }, { import_key: 'identifier' });
  // By id when given; by name + city + state when no id is given or the id is unknown here
  // (a file exported from another Forewarn).
  let ref: Draft['ref'];
  if (raw.institution_id && !UUID_RE.test(raw.institution_id)) throw new ValidationFailedError('Invalid row', { institution_id: 'must be a UUID' });
  if (raw.institution) ref = nameRef(raw.institution, raw.city, raw.state);
  else if (raw.institution_id) ref = { label: `with id ${raw.institution_id}` };
  else throw new ValidationFailedError('Invalid row', { institution: 'institution_id, or institution with city and state, is required' });
  if (raw.institution_id) ref.id = raw.institution_id.toLowerCase();
  const parsed = parseTopicList(r.topics);
  if (parsed.unknown.length) throw new ValidationFailedError('Invalid row', { topics: `unknown topic ${parsed.unknown.map((w) => `"${w}"`).join(', ')}; topics are ${TOPICS.join(', ')}` });
  const facts = {
    topicMask: topicMask(parsed.topics),
    kind: r.kind as IncidentKind,
    severity: r.severity,
    crowdSize: (r.crowd_size ?? 'unknown') as CrowdBand,
    impact: (r.impact ?? 'none') as Impact,
    target: r.target as Target,
    source: r.source as Source,
    verification: (r.verification ?? 'reported') as Verification,
  };
  // topics are not part of the content key: re-importing a file with topics added sets them on the rows already there
  const content = [r.date, ref.key ?? ref.id, facts.kind, facts.severity, facts.crowdSize, facts.impact, facts.target, facts.source, r.description ?? ''].join('|');
  return {
    row,
    ref,
    occurred: r.date,
    facts,
    description: r.description || null,
    disputeStatement: r.dispute_statement || null,
    importKey: r.import_key || key('csv', content, occurrences),
  };
}

function nameRef(name: string, city: string | undefined, state: string | undefined): Draft['ref'] {
  return {
    key: dedupeKey(name, city, state),
    nameState: `${normaliseText(name)}|${normaliseState(state)}`,
    label: `named "${name}" in ${city || '(no city)'}, ${state || '(no state)'}`,
  };
}

/** A stable key from the row's content plus how many identical rows came before it in the file. */
function key(prefix: string, content: string, occurrences: Map<string, number>): string {
  const hash = createHash('sha1').update(content).digest('hex');
  const seen = hash.slice(0, 16); // 64 bits are plenty to count repeats, and half the memory per row of a large file
  const n = (occurrences.get(seen) ?? 0) + 1;
  occurrences.set(seen, n);
  return `${prefix}:${hash}:${n}`;
}

/** Local noon in the institution's zone for a bare date; the exact instant for ISO-8601 with a time. */
export function importInstant(value: string, zone: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const dt = DateTime.fromISO(`${value}T12:00:00`, { zone });
    return dt.isValid ? dt.toMillis() : null;
  }
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid && /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? dt.toMillis() : null;
}
