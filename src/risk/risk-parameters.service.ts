import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { bool as boolSql } from '../database/dialect';
import { query, sql } from '../database/sql';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { Topic, TOPIC_RELATIONS, TOPICS, TopicRelation } from '../common/enums';
import { NotFoundError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { iso } from '../common/time';
import { topicBit } from '../common/topics';
import type { GatherContext } from './evidence';
import type { RelationMasks } from './evidence-sql';
import { DEFAULT_TOPIC_RELATIONS, parseParams, RiskParams } from './params';
import { RiskParameterSet } from './risk-parameter-set.entity';
import { RiskSetting } from './risk-setting.entity';
import { SHIPPED_PARAMS, SHIPPED_REPORT } from './shipped-params';

const TOPIC_RELATIONS_KEY = 'topic_relations';
type Row = Record<string, unknown>;
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

export interface ParameterSetView {
  version: string;
  active: boolean;
  shipped: boolean;
  beatsBaselines: boolean;
  provenance: RiskParams['provenance'];
  /** The held-out verdict and figures the set was judged by (null if never judged). */
  report: unknown;
  createdAt: string | null;
  activatedAt: string | null;
}

export function masksOf(relations: Readonly<Record<Topic, TopicRelation>>): RelationMasks {
  let affiliation = 0;
  let activity = 0;
  for (const t of TOPICS) {
    if (relations[t] === 'affiliation') affiliation |= topicBit(t);
    if (relations[t] === 'activity') activity |= topicBit(t);
  }
  return { affiliation, activity };
}

/** Stored relations over the defaults (unknown topics or relations in the stored JSON are ignored). */
function relationsOf(json: string | null): Record<Topic, TopicRelation> {
  const stored = json ? (JSON.parse(json) as Partial<Record<Topic, TopicRelation>>) : {};
  const out = { ...DEFAULT_TOPIC_RELATIONS };
  for (const t of TOPICS) if (stored[t] && (TOPIC_RELATIONS as readonly string[]).includes(stored[t] as string)) out[t] = stored[t] as TopicRelation;
  return out;
}

/**
 * Which parameter set and which topic relations the model uses. Both live in the database, so every
 * instance reads the same ones (one primary-key read each per batch; parsed sets are cached by
 * version, which never changes meaning: a version is immutable).
 */
@Injectable()
export class RiskParametersService {
  private readonly parsed = new Map<string, RiskParams>();

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /**
   * The parameters and topic relations in force, read in `m` (the caller's transaction, if any):
   * one query for the active version and the relations; the set itself is read once per version.
   */
  async context(m?: EntityManager): Promise<GatherContext> {
    if (!m) return this.db.read((rm) => this.context(rm));
    const [row] = await query<Row>(
      m,
      sql`SELECT (SELECT version FROM risk_parameter_sets WHERE active = ${boolSql(true)}) AS version, (SELECT value FROM risk_settings WHERE key = ${TOPIC_RELATIONS_KEY}) AS relations`,
    );
    let params = SHIPPED_PARAMS;
    if (row?.version) {
      const version = String(row.version);
      let cached = this.parsed.get(version);
      if (!cached) {
        const [stored] = await query<Row>(m, sql`SELECT params FROM risk_parameter_sets WHERE version = ${version}`);
        cached = parseParams(String(stored.params));
        this.parsed.set(version, cached);
      }
      params = cached;
    }
    const relations = relationsOf(row?.relations ? String(row.relations) : null);
    return { params, relations, masks: masksOf(relations) };
  }

  async topicRelations(m?: EntityManager): Promise<Record<Topic, TopicRelation>> {
    if (!m) return this.db.read((rm) => this.topicRelations(rm));
    const row = await m.findOneBy(RiskSetting, { key: TOPIC_RELATIONS_KEY });
    return relationsOf(row?.value ?? null);
  }

  /** Replace some relations (others keep theirs); audited. The caller re-assesses upcoming appearances. */
  async setTopicRelations(m: EntityManager, changes: Record<string, unknown>, actorId: string): Promise<Record<Topic, TopicRelation>> {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(changes)) {
      if (!(TOPICS as readonly string[]).includes(k)) fields[k] = `unknown topic; topics are ${TOPICS.join(', ')}`;
      else if (!(TOPIC_RELATIONS as readonly string[]).includes(v as string)) fields[k] = `must be one of ${TOPIC_RELATIONS.join(', ')}`;
    }
    if (Object.keys(fields).length) throw new ValidationFailedError('Invalid topic relations', fields);
    const before = await this.topicRelations(m);
    const after = { ...before, ...(changes as Record<Topic, TopicRelation>) };
    await m.save(RiskSetting, { key: TOPIC_RELATIONS_KEY, value: JSON.stringify(after), updatedAt: this.clock.now(), updatedById: actorId });
    await this.audit.record(m, { actorId, action: 'update', entityType: 'risk_topic_relations', entityId: TOPIC_RELATIONS_KEY, before, after });
    return after;
  }

  /** Every stored set, newest first, plus the shipped default. */
  async list(): Promise<ParameterSetView[]> {
    const rows = await this.db.read((m) => m.getRepository(RiskParameterSet).find({ order: { createdAt: 'DESC' } }));
    const anyActive = rows.some((r) => r.active);
    const views = rows.map((r) => this.view(r));
    if (!rows.some((r) => r.version === SHIPPED_PARAMS.version)) {
      views.push({
        version: SHIPPED_PARAMS.version,
        active: !anyActive,
        shipped: true,
        beatsBaselines: Boolean((SHIPPED_REPORT as { beatsBaselines?: boolean } | null)?.beatsBaselines),
        provenance: SHIPPED_PARAMS.provenance,
        report: SHIPPED_REPORT,
        createdAt: null,
        activatedAt: null,
      });
    }
    return views;
  }

  /** Store a new set (from `npm run risk:fit`); a version is written once. */
  async store(m: EntityManager, params: RiskParams, report: unknown, beatsBaselines: boolean, actorId: string | null): Promise<void> {
    parseParams(params);
    const exists = await m.findOneBy(RiskParameterSet, { version: params.version });
    if (exists) throw new ValidationFailedError('Version exists', { version: `parameter set ${params.version} exists already; versions are immutable` });
    await m.insert(RiskParameterSet, {
      version: params.version,
      params: JSON.stringify(params),
      report: report === null ? null : JSON.stringify(report),
      beatsBaselines,
      active: false,
      createdAt: this.clock.now(),
      createdById: actorId,
      activatedAt: null,
      activatedById: null,
    });
  }

  /**
   * Make `version` the one in force (the shipped default's version makes no stored set active).
   * Audited; the caller re-assesses upcoming appearances after commit.
   */
  async activate(m: EntityManager, version: string, actorId: string | null, force = false): Promise<{ from: string; to: string }> {
    const from = (await this.context(m)).params.version;
    const shipped = version === SHIPPED_PARAMS.version;
    const row = shipped ? null : await m.findOneBy(RiskParameterSet, { version });
    if (!shipped && !row) throw new NotFoundError('Risk parameter set', version, 'version');
    if (row && !bool(row.beatsBaselines) && !force)
      throw new UnprocessableError('PARAMETERS_NOT_PROVEN', `Parameter set ${version} did not beat every baseline on its held-out back-test; activate it anyway with force=true`, {
        version: 'did not beat every baseline on held-out AUC and log loss',
      });
    await query(m, sql`UPDATE risk_parameter_sets SET active = ${boolSql(false)} WHERE active = ${boolSql(true)}`);
    if (row) await m.update(RiskParameterSet, { version }, { active: true, activatedAt: this.clock.now(), activatedById: actorId });
    await this.audit.record(m, {
      actorId,
      action: 'activate',
      entityType: 'risk_parameter_set',
      entityId: version,
      before: { version: from },
      after: { version },
      meta: force ? { force: true } : null,
    });
    return { from, to: version };
  }

  private view(r: RiskParameterSet): ParameterSetView {
    const params = parseParams(r.params);
    return {
      version: r.version,
      active: bool(r.active),
      shipped: r.version === SHIPPED_PARAMS.version,
      beatsBaselines: bool(r.beatsBaselines),
      provenance: params.provenance,
      report: r.report ? JSON.parse(r.report) : null,
      createdAt: iso(Number(r.createdAt)),
      activatedAt: r.activatedAt === null ? null : iso(Number(r.activatedAt)),
    };
  }
}
