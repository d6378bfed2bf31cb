import { Injectable } from '@nestjs/common';
import { HIGHEST_DEGREES, OWNERSHIPS } from '../common/enums';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import type { InstitutionKind } from '../common/enums';
import { DomainError, ValidationFailedError } from '../common/errors';
import { assertCleanRecord } from '../common/input-guard';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { validateDto } from '../common/validation';
import { Institution } from './institution.entity';
import { dedupeKey, normaliseState, normaliseText } from './normalise';
import { CreatedRows } from '../imports/created-rows';
import { breather } from '../common/breather';
import { csvChunks, CsvRow, reasonOf, requireColumns, runImport, Stage } from '../imports/csv-reader';
import { ImportUploads } from '../imports/import-uploads.service';
import { InstitutionCsvRow } from '../imports/dto/import.dto';
import { emptyReport, ImportReport, tally } from '../imports/import-report';
import { zoneForState } from './state-zones';
import { DatabaseService } from '../database/database.service';

export type InstitutionFormat = 'forewarn' | 'scorecard';

/** Column names of the institution export (and of the project's own import format). */
export const INSTITUTION_CSV_COLUMNS = [
  'id',
  'name',
  'kind',
  'city',
  'state',
  'country',
  'time_zone',
  'external_id',
  'ownership',
  'highest_degree',
  'limits_immigration_cooperation',
  'requires_advance_notice',
  'advance_notice_days',
  'current_stance',
] as const;

/** College Scorecard raw column names → ours. */
const SCORECARD_ALIASES: Record<string, string> = { instnm: 'name', stabbr: 'state', unitid: 'external_id' };
const SCORECARD_CONTROL: Record<string, string> = { '1': 'public', '2': 'private nonprofit', '3': 'private for-profit' };
const SCORECARD_HIGHDEG: Record<string, string> = { '0': 'none', '1': 'certificate', '2': 'associate', '3': 'bachelor', '4': 'graduate' };

export function detectInstitutionFormat(header: string[]): InstitutionFormat {
  // Forewarn's own export has a kind column (and, since 2.0, highest_degree too)
  if (header.includes('kind')) return 'forewarn';
  if (header.includes('highest_degree') || header.includes('instnm') || header.includes('stabbr')) return 'scorecard';
  if (!header.includes('kind') && header.includes('ownership') && header.includes('state')) return 'scorecard';
  return 'forewarn';
}

/** A Scorecard institution's kind: "…College" without "University" is a college; graduate/bachelor-granting ones universities. */
export function scorecardKind(name: string, highestDegree: string): InstitutionKind {
  if (/\bcollege\b/i.test(name) && !/\buniversity\b/i.test(name)) return 'college';
  return highestDegree === 'graduate' || highestDegree === 'bachelor' ? 'university' : 'college';
}

type Candidate = Omit<Institution, 'institution'>;
type Existing = { id: string; ownership: string | null; highestDegree: string | null };

/**
 * POST /institutions/import. Streams the CSV in chunks of 500 rows; per chunk one query (a short read) finds
 * existing institutions (by normalised name|city|STATE, or external id) and the new ones are staged
 * (runImport inserts them in one short transaction at the end). Matches are left as they are
 * (re-importing creates nothing), except that a Scorecard ownership or highest degree the row has
 * and the stored institution lacks is filled in (at the commit, if still empty then).
 */
@Injectable()
export class InstitutionImportService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly uploads: ImportUploads,
  ) {}

  async import(body: unknown, opts: { dryRun: boolean; atomic: boolean }, actor: AuthUser): Promise<ImportReport> {
    let format: InstitutionFormat = 'forewarn';
    const report = emptyReport(format, opts.dryRun, opts.atomic);
    const seen = new CreatedRows();
    // The upload is received in full (to a temporary file) before the transaction opens.
    return this.uploads.receive(body, report, actor, (file) =>
      runImport(
        this.db,
        report,
        async (stage) => {
          const chunks = csvChunks(
            file(),
            (header) => {
              format = detectInstitutionFormat(header);
              report.format = format;
              if (format === 'scorecard')
                requireColumns(
                  header,
                  [
                    ['name', 'instnm'],
                    ['state', 'stabbr'],
                  ],
                  'College Scorecard',
                );
              else requireColumns(header, [['name'], ['kind']], 'Forewarn institution');
            },
            this.uploads.limitBytes,
          );
          for await (const chunk of chunks) await this.chunk(stage, chunk, format, report, seen);
        },
        (m) =>
          this.audit.record(m, {
            actorId: actor.id,
            action: 'import',
            entityType: 'institution',
            meta: { format: report.format, rows: report.rows, created: report.created, matched: report.matched, refused: report.refused },
          }),
      ),
    );
  }

  private async chunk(stage: Stage, rows: CsvRow[], format: InstitutionFormat, report: ImportReport, seen: CreatedRows): Promise<void> {
    const now = this.clock.now();
    const parsed: Array<{ row: number; cand?: Candidate; refused?: { reason: string; fields?: Record<string, string> } }> = [];
    const breathe = breather();
    for (const { row, record } of rows) {
      await breathe();
      try {
        assertCleanRecord(record);
        parsed.push({ row, cand: format === 'scorecard' ? this.fromScorecard(record, now) : this.fromOwn(record, now) });
      } catch (e) {
        const fields = e instanceof DomainError ? e.fields : undefined;
        parsed.push({ row, refused: { reason: reasonOf(fields, (e as Error).message), fields } });
      }
    }
    const cands = parsed.flatMap((p) => (p.cand ? [p.cand] : []));
    const existing = await this.db.read((m) => this.existing(m, cands));
    const fresh: Candidate[] = [];
    const fills: Array<{ id: string } & Partial<Pick<Institution, 'ownership' | 'highestDegree'>>> = [];
    for (const p of parsed) {
      await breathe();
      if (!p.cand) {
        tally(report, { row: p.row, status: 'refused', reason: p.refused!.reason, fields: p.refused!.fields });
        continue;
      }
      const c = p.cand;
      const hit = existing.byKey.get(c.dedupeKey) ?? (c.externalId ? existing.byExternal.get(c.externalId) : undefined);
      if (hit) {
        const fill: Partial<Pick<Institution, 'ownership' | 'highestDegree'>> = {};
        if (!hit.ownership && c.ownership) fill.ownership = c.ownership;
        if (!hit.highestDegree && c.highestDegree) fill.highestDegree = c.highestDegree;
        const filled = Object.keys(fill).length
          ? `filled in ${Object.keys(fill)
              .map((k) => (k === 'ownership' ? 'ownership' : 'highest degree'))
              .join(' and ')}`
          : undefined;
        if (filled) {
          fills.push({ id: hit.id, ...fill });
          Object.assign(hit, fill);
        }
        tally(report, {
          row: p.row,
          status: 'matched',
          id: hit.id,
          reason: existing.byKey.has(c.dedupeKey) ? 'same name, city and state' : `same external id ${c.externalId}`,
          ...(filled ? { note: filled } : {}),
        });
        continue;
      }
      const earlier = seen.find(c.dedupeKey) ?? (c.externalId ? seen.find(`ext:${c.externalId}`) : undefined);
      if (earlier) {
        tally(report, { row: p.row, status: 'matched', id: earlier.id, reason: `same institution as row ${earlier.row}` });
        continue;
      }
      seen.remember(c.externalId ? [c.dedupeKey, `ext:${c.externalId}`] : [c.dedupeKey], p.row, c.id);
      fresh.push(c);
      tally(report, { row: p.row, status: 'created', id: c.id });
    }
    stage.add(Institution, fresh as Institution[], { column: 'dedupe_key', property: 'dedupeKey' });
    for (const { id, ...fill } of fills) stage.update(Institution, id, { ...fill, updatedAt: now }, 'fill');
  }

  /** One query per chunk: which of these dedupe keys / external ids exist already. */
  private async existing(m: EntityManager, cands: Candidate[]): Promise<{ byKey: Map<string, Existing>; byExternal: Map<string, Existing> }> {
    const byKey = new Map<string, Existing>();
    const byExternal = new Map<string, Existing>();
    if (!cands.length) return { byKey, byExternal };
    const keys = [...new Set(cands.map((c) => c.dedupeKey))];
    const exts = [...new Set(cands.flatMap((c) => (c.externalId ? [c.externalId] : [])))];
    const qb = m
      .createQueryBuilder()
      .select(['i.id AS id', 'i.dedupe_key AS dedupe_key', 'i.external_id AS external_id', 'i.ownership AS ownership', 'i.highest_degree AS highest_degree'])
      .from(Institution, 'i')
      .where('i.dedupe_key IN (:...keys)', { keys });
    if (exts.length) qb.orWhere('i.external_id IN (:...exts)', { exts });
    type Raw = { id: string; dedupe_key: string; external_id: string | null; ownership: string | null; highest_degree: string | null };
    for (const r of (await qb.getRawMany()) as Raw[]) {
      const e: Existing = { id: r.id, ownership: r.ownership, highestDegree: r.highest_degree };
      byKey.set(r.dedupe_key, e);
      if (r.external_id) byExternal.set(r.external_id, e);
    }
    return { byKey, byExternal };
  }

  private fromOwn(record: Record<string, string>, now: number): Candidate {
    const r = validateDto(
      InstitutionCsvRow,
      pick(record, [
        'name',
        'kind',
        'city',
        'state',
        'country',
        'time_zone',
        'external_id',
        'ownership',
        'highest_degree',
        'limits_immigration_cooperation',
        'requires_advance_notice',
        'advance_notice_days',
      ]),
    );
    const country = (r.country || 'US').toUpperCase();
    const zone = r.time_zone || (country === 'US' ? zoneForState(r.state ?? '', r.city) : null);
    if (!zone) throw new ValidationFailedError('No time zone', { time_zone: 'required (no US state to derive it from)' });
    return this.candidate(now, {
      name: r.name,
      kind: r.kind as InstitutionKind,
      city: r.city ?? '',
      state: r.state ?? '',
      country,
      timeZone: zone,
      externalId: r.external_id || null,
      ownership: r.ownership || null,
      highestDegree: r.highest_degree || null,
      limitsImmigrationCooperation: r.limits_immigration_cooperation ?? false,
      requiresAdvanceNotice: r.requires_advance_notice ?? false,
      advanceNoticeDays: r.advance_notice_days ?? null,
    });
  }

  private fromScorecard(raw: Record<string, string>, now: number): Candidate {
    const record: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) record[SCORECARD_ALIASES[k] ?? k] = v;
    const ownership = SCORECARD_CONTROL[record.control] ?? record.ownership ?? '';
    const degree = SCORECARD_HIGHDEG[record.highdeg] ?? record.highest_degree ?? '';
    const fields: Record<string, string> = {};
    if (!record.name) fields.name = 'name is required';
    else if (record.name.length > 300) fields.name = 'longer than 300 characters';
    if ((record.city ?? '').length > 120) fields.city = 'longer than 120 characters';
    const zone = zoneForState(record.state ?? '', record.city);
    if (!zone) fields.state = `unknown US state or territory "${record.state ?? ''}"`;
    if ((record.external_id ?? '').length > 64) fields.external_id = 'longer than 64 characters';
    if (Object.keys(fields).length) throw new ValidationFailedError('Invalid row', fields);
    return this.candidate(now, {
      name: record.name,
      kind: scorecardKind(record.name, degree),
      city: record.city ?? '',
      state: record.state,
      country: 'US',
      timeZone: zone!,
      externalId: record.external_id || null,
      ownership: (OWNERSHIPS as readonly string[]).includes(ownership) ? ownership : null,
      highestDegree: (HIGHEST_DEGREES as readonly string[]).includes(degree) ? degree : null,
      limitsImmigrationCooperation: false,
      requiresAdvanceNotice: false,
      advanceNoticeDays: null,
    });
  }

  private candidate(
    now: number,
    v: Pick<
      Institution,
      'name' | 'kind' | 'city' | 'state' | 'country' | 'timeZone' | 'externalId' | 'ownership' | 'highestDegree' | 'limitsImmigrationCooperation' | 'requiresAdvanceNotice' | 'advanceNoticeDays'
    >,
  ): Candidate {
    assertNoPersonalData(
      { name: v.name, city: v.city, state: v.state, external_id: v.externalId, ownership: v.ownership },
      { city: 'place', state: 'identifier', external_id: 'identifier', ownership: 'identifier' },
    );
    const state = normaliseState(v.state);
    return {
      ...v,
      id: randomUUID(),
      state,
      searchName: normaliseText(v.name),
      dedupeKey: dedupeKey(v.name, v.city, state),
      version: 1,
      createdAt: now,
      updatedAt: now,
    } as Candidate;
  }
}

function pick(record: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (record[k] !== undefined && record[k] !== '') out[k] = record[k];
  return out;
}
