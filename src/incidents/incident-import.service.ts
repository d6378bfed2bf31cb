import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { assertCleanRecord } from '../common/input-guard';
import { CCC_FLAG_TOPICS, topicsOf } from '../common/topics';
import { privacyConfig } from '../config/privacy.config';
import { announceImported } from './incident-import-events';
import { Incident } from './incident.entity';
import { assertDescriptionAllowed, assertVerificationAllowed } from './incident-rules';
import { Institution } from '../institutions/institution.entity';
import { RiskService } from '../risk/risk.service';
import { Draft, fromOwn, fromProtest, importInstant } from './incident-import-rows';
import { CreatedRows } from '../imports/created-rows';
import { breather } from '../common/breather';
import { csvChunks, CsvRow, reasonOf, requireColumns, runImport, Stage } from '../imports/csv-reader';
import { ImportUploads } from '../imports/import-uploads.service';
import { emptyReport, ImportReport, tally } from '../imports/import-report';
import { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';

export type IncidentFormat = 'forewarn' | 'campus_protests';

/** Incident dates outside these years are refused per row. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2200;

interface InstitutionRef {
  id: string;
  state: string;
  timeZone: string;
}

/**
 * POST /incidents/import: the project's own format, or the campus-protest format of the Crowd
 * Counting Consortium compilation (rows about recruiting → peer_recruiters context, others
 * general_activism; no description). Institutions are matched by id, or by normalised
 * name + city + state (falling back to name + state when that is unique). Every row gets an
 * import key, so re-importing the same file creates nothing.
 */
@Injectable()
export class IncidentImportService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly risk: RiskService,
    @Inject(privacyConfig.KEY) private readonly privacy: ConfigType<typeof privacyConfig>,
    private readonly uploads: ImportUploads,
    private readonly events: EventEmitter2,
  ) {}

  async import(body: unknown, opts: { dryRun: boolean; atomic: boolean }, actor: AuthUser): Promise<ImportReport> {
    let format: IncidentFormat = 'forewarn';
    const report = emptyReport(format, opts.dryRun, opts.atomic);
    report.institutionsMatched = 0;
    report.topics = {};
    const occurrences = new Map<string, number>();
    const touched = new Map<string, string>(); // institution id → state
    const created = new CreatedRows(); // import keys staged by earlier rows of the file
    // The upload is received in full (to a temporary file) before the transaction opens.
    return this.uploads.receive(body, report, actor, (file) =>
      runImport(
        this.db,
        report,
        async (stage) => {
          const chunks = csvChunks(
            file(),
            (header) => {
              format = header.includes('about_recruiting') ? 'campus_protests' : 'forewarn';
              report.format = format;
              if (format === 'campus_protests') report.topicMapping = { ...Object.fromEntries(Object.entries(CCC_FLAG_TOPICS).filter(([flag]) => header.includes(flag))), 'none of them': 'other' };
              if (format === 'campus_protests') requireColumns(header, [['date'], ['institution'], ['state']], 'campus-protest');
              else requireColumns(header, [['date', 'occurred_at'], ['institution_id', 'institution'], ['kind'], ['severity'], ['target'], ['source']], 'Forewarn incident');
            },
            this.uploads.limitBytes,
          );
          for await (const chunk of chunks) await this.chunk(stage, chunk, format, report, { occurrences, touched, created }, actor);
        },
        async (m) => {
          await this.audit.record(m, {
            actorId: actor.id,
            action: 'import',
            entityType: 'incident',
            meta: { format: report.format, rows: report.rows, created: report.created, matched: report.matched, refused: report.refused, institutionsMatched: report.institutionsMatched },
          });
          await this.reassess(m, touched, actor);
          await announceImported(m, this.events, created, actor.id, this.clock.now());
        },
      ),
    );
  }

  private async chunk(
    stage: Stage,
    rows: CsvRow[],
    format: IncidentFormat,
    report: ImportReport,
    { occurrences, touched, created }: { occurrences: Map<string, number>; touched: Map<string, string>; created: CreatedRows },
    actor: AuthUser,
  ): Promise<void> {
    const actorId = actor.id;
    const drafts: Draft[] = [];
    const breathe = breather(); // validating rows and, below, the name detector (~20 ms per 2 KB of text): let requests in between rows
    for (const { row, record } of rows) {
      await breathe();
      try {
        assertCleanRecord(record);
        const draft = format === 'campus_protests' ? fromProtest(row, record, occurrences) : fromOwn(row, record, occurrences);
        assertVerificationAllowed(actor, draft.facts.verification, draft.disputeStatement, 'dispute_statement');
        drafts.push(draft);
      } catch (e) {
        refuse(report, row, e);
      }
    }
    // One short read per chunk: the file's check holds no connection between chunks.
    const { institutions, existingKeys } = await this.db.read(async (m) => ({
      institutions: await this.resolve(m, drafts),
      existingKeys: await this.existingKeys(
        m,
        drafts.map((d) => d.importKey),
      ),
    }));
    const now = this.clock.now();
    const fresh: Array<Omit<Incident, 'institution' | 'appearance'>> = [];
    const retopic: { id: string; mask: number }[] = [];
    for (const d of drafts) {
      await breathe();
      const inst = institutions.get(d);
      if (!inst) {
        tally(report, { row: d.row, status: 'refused', reason: `no institution ${d.ref.label}`, fields: { institution: `no institution ${d.ref.label}` } });
        continue;
      }
      report.institutionsMatched!++;
      // An earlier row of this file with the same key is staged, not in the table: matched as it is (its topics stand).
      const twin = existingKeys.has(d.importKey) ? undefined : created.find(d.importKey);
      const existing = existingKeys.get(d.importKey) ?? (twin ? { id: twin.id, topicMask: d.facts.topicMask } : undefined);
      if (existing) {
        const topics = topicsOf(d.facts.topicMask);
        if (existing.topicMask !== d.facts.topicMask) {
          // rows imported before incidents had topics (or with other ones): the file's topics win
          retopic.push({ id: existing.id, mask: d.facts.topicMask });
          existing.topicMask = d.facts.topicMask;
          touched.set(inst.id, inst.state);
          tally(report, { row: d.row, status: 'matched', id: existing.id, topics, reason: `already imported (import key ${d.importKey})`, note: `topics set to ${topics.join(', ') || 'none'}` });
        } else tally(report, { row: d.row, status: 'matched', id: existing.id, topics, reason: `already imported (import key ${d.importKey})` });
        continue;
      }
      const occurredAt = importInstant(d.occurred, inst.timeZone);
      const year = occurredAt === null ? null : DateTime.fromMillis(occurredAt, { zone: inst.timeZone }).year;
      if (year !== null && (year < MIN_YEAR || year > MAX_YEAR)) {
        // Older dates are typos (1024 for 2024) that break the risk decay arithmetic.
        tally(report, { row: d.row, status: 'refused', reason: 'date out of range', fields: { date: `year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}` } });
        continue;
      }
      if (occurredAt === null || occurredAt > now) {
        const why = occurredAt === null ? `"${d.occurred}" is not a date (YYYY-MM-DD or ISO-8601)` : 'is in the future';
        tally(report, { row: d.row, status: 'refused', reason: `date: ${why}`, fields: { date: why } });
        continue;
      }
      try {
        // the API's rules: an expired description is refused (RETENTION_EXPIRED), no personal data
        assertDescriptionAllowed(d.description, occurredAt, now, this.privacy.retentionMonths);
      } catch (e) {
        refuse(report, d.row, e);
        continue;
      }
      const id = randomUUID();
      existingKeys.set(d.importKey, { id, topicMask: d.facts.topicMask });
      created.remember([d.importKey], d.row, id);
      fresh.push({
        id,
        institutionId: inst.id,
        state: inst.state,
        appearanceId: null,
        ...d.facts,
        occurredAt,
        recordedAt: now,
        disputeStatement: d.disputeStatement,
        disputeRecordedById: d.disputeStatement ? actorId : null,
        disputeRecordedAt: d.disputeStatement ? now : null,
        description: d.description,
        descriptionExpiredAt: null,
        recordedById: actorId,
        importKey: d.importKey,
        version: 1,
        createdAt: now,
        updatedAt: now,
      } as Omit<Incident, 'institution' | 'appearance'>);
      touched.set(inst.id, inst.state);
      tally(report, { row: d.row, status: 'created', id, topics: topicsOf(d.facts.topicMask) });
      for (const t of topicsOf(d.facts.topicMask)) report.topics![t] = (report.topics![t] ?? 0) + 1;
    }
    stage.add(Incident, fresh as Incident[], { column: 'import_key', property: 'importKey' });
    for (const r of retopic) stage.update(Incident, r.id, { topicMask: r.mask }, 'set');
  }

  /** Set-based: ≤ 3 queries per chunk (ids, name|city|state keys, name|state fallback). */
  private async resolve(m: EntityManager, drafts: Draft[]): Promise<Map<Draft, InstitutionRef>> {
    const out = new Map<Draft, InstitutionRef>();
    const ids = [...new Set(drafts.flatMap((d) => (d.ref.id ? [d.ref.id] : [])))];
    const keys = [...new Set(drafts.flatMap((d) => (d.ref.key ? [d.ref.key] : [])))];
    const cols = ['i.id AS id', 'i.state AS state', 'i.time_zone AS time_zone', 'i.dedupe_key AS dedupe_key', 'i.search_name AS search_name'];
    type Raw = { id: string; state: string; time_zone: string; dedupe_key: string; search_name: string };
    const toRef = (r: Raw): InstitutionRef => ({ id: r.id, state: r.state, timeZone: r.time_zone });
    const byId = new Map<string, InstitutionRef>();
    const byKey = new Map<string, InstitutionRef>();
    if (ids.length) for (const r of (await m.createQueryBuilder().select(cols).from(Institution, 'i').where('i.id IN (:...ids)', { ids }).getRawMany()) as Raw[]) byId.set(r.id, toRef(r));
    if (keys.length)
      for (const r of (await m.createQueryBuilder().select(cols).from(Institution, 'i').where('i.dedupe_key IN (:...keys)', { keys }).getRawMany()) as Raw[]) byKey.set(r.dedupe_key, toRef(r));
    const fallback = drafts.filter((d) => d.ref.key && !byKey.has(d.ref.key) && d.ref.nameState);
    const byNameState = new Map<string, InstitutionRef[]>();
    if (fallback.length) {
      const names = [...new Set(fallback.map((d) => d.ref.nameState!.split('|')[0]))];
      for (const r of (await m.createQueryBuilder().select(cols).from(Institution, 'i').where('i.search_name IN (:...names)', { names }).getRawMany()) as Raw[]) {
        const k = `${r.search_name}|${r.state}`;
        byNameState.set(k, [...(byNameState.get(k) ?? []), toRef(r)]);
      }
    }
    for (const d of drafts) {
      const byName = d.ref.key ? (byKey.get(d.ref.key) ?? (byNameState.get(d.ref.nameState!)?.length === 1 ? byNameState.get(d.ref.nameState!)![0] : undefined)) : undefined;
      const hit = (d.ref.id ? byId.get(d.ref.id) : undefined) ?? byName;
      if (hit) out.set(d, hit);
    }
    return out;
  }

  private async existingKeys(m: EntityManager, keys: string[]): Promise<Map<string, { id: string; topicMask: number }>> {
    const out = new Map<string, { id: string; topicMask: number }>();
    const unique = [...new Set(keys)];
    if (!unique.length) return out;
    const rows = (await m
      .createQueryBuilder()
      .select(['i.id AS id', 'i.import_key AS import_key', 'i.topic_mask AS topic_mask'])
      .from(Incident, 'i')
      .where('i.import_key IN (:...unique)', { unique })
      .getRawMany()) as Array<{ id: string; import_key: string; topic_mask: number }>;
    for (const r of rows) out.set(r.import_key, { id: r.id, topicMask: Number(r.topic_mask) });
    return out;
  }

  /**
   * Re-assess what the new incidents can touch, without a call per row or per institution: each
   * touched institution that has upcoming appearances, plus one institution per touched state with
   * upcoming appearances, in ONE RiskService.reassessInstitutions call (one evidence pass over
   * those states; with a single institution it is reassessInstitution, which widens to the state
   * when its regional wave moved).
   */
  private async reassess(m: EntityManager, touched: Map<string, string>, actor: AuthUser): Promise<void> {
    if (!touched.size) return;
    const now = this.clock.now();
    const upcoming = await query<{ institution_id: string; state: string }>(
      m,
      sql`SELECT DISTINCT a.institution_id AS institution_id, i.state AS state FROM appearances a JOIN institutions i ON i.id = a.institution_id WHERE a.starts_at > ${now} AND a.status IN ('planned', 'confirmed')`,
    );
    const upcomingStates = new Set(upcoming.map((u) => u.state));
    const targets = new Set(upcoming.filter((u) => touched.has(u.institution_id)).map((u) => u.institution_id));
    const perState = new Map<string, string>();
    for (const [id, state] of touched) if (upcomingStates.has(state) && !perState.has(state)) perState.set(state, id);
    for (const id of perState.values()) targets.add(id);
    await this.risk.reassessInstitutions(m, [...targets], 'incident_import', actor.id);
  }
}

/** A refused row, with the code and fields of the error the API would answer. */
function refuse(report: ImportReport, row: number, e: unknown): void {
  const fields = e instanceof DomainError ? e.fields : undefined;
  const code = e instanceof DomainError ? e.code : undefined;
  tally(report, { row, status: 'refused', reason: reasonOf(fields, (e as Error).message), fields, ...(code ? { code } : {}) });
}
