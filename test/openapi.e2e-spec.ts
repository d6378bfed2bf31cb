import SwaggerParser from '@apidevtools/swagger-parser';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { Spectral } from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import { responseValidator } from './helpers/openapi-validator';
import { createTestApp, TestApp } from './helpers/test-app';
import { REPORTS_NOW, seedReportsHistory } from './reports-fixtures';

/** @nestjs/swagger's metadata keys for @ApiExcludeController / @ApiExcludeEndpoint (not exported). */
const DECORATORS = { API_EXCLUDE_CONTROLLER: 'swagger/apiExcludeController', API_EXCLUDE_ENDPOINT: 'swagger/apiExcludeEndpoint' };

/** Every route the app serves, as "METHOD /path/{param}", read from the controllers' metadata. */
function servedRoutes(t: TestApp): string[] {
  const out: string[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as any;
      // HTML pages deliberately left out of the JSON API document (@ApiExcludeController) are not API routes.
      if (!cls || Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, cls)?.[0]) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, cls) as string) ?? '';
      const proto = cls.prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = Object.getOwnPropertyDescriptor(proto, name)?.value; // never run getters
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined || Reflect.getMetadata(DECORATORS.API_EXCLUDE_ENDPOINT, handler)?.disable) continue;
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        out.push(`${RequestMethod[method]} ${full}`);
      }
    }
  }
  return out.sort();
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  let seed: Awaited<ReturnType<typeof seedReportsHistory>>;
  beforeAll(async () => {
    t = await createTestApp({ now: REPORTS_NOW });
    doc = (await t.http().get('/docs-json').expect(200)).body;
    seed = await seedReportsHistory(t);
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI document (swagger-parser)', async () => {
    const copy = JSON.parse(JSON.stringify(doc));
    await expect(SwaggerParser.validate(copy)).resolves.toBeDefined();
  });

  it('documents every route the app serves, each with a summary and a tag', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const served = servedRoutes(t);
    expect(served.length).toBeGreaterThan(25);
    const missing = served.filter((r) => !documented.includes(r));
    expect(missing).toEqual([]);
    const unexplained: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!op.summary || !op.tags?.length) unexplained.push(`${m.toUpperCase()} ${p}`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  it('gives every property of every schema a type, and describes the planning API bodies', () => {
    const schemas = doc.components.schemas;
    for (const name of [
      'CreateInstitutionDto',
      'UpdateInstitutionDto',
      'InstitutionView',
      'InstitutionPage',
      'CreateAppearanceDto',
      'UpdateAppearanceDto',
      'AppearanceView',
      'AppearanceDetailView',
      'AppearancePage',
      'CancelAppearanceDto',
      'ErrorBody',
    ]) {
      expect(schemas[name]).toBeDefined();
    }
    const untyped: string[] = [];
    for (const [name, schema] of Object.entries(schemas) as [string, any][]) {
      for (const [prop, s] of Object.entries(schema.properties ?? {}) as [string, any][]) {
        if (!(s.type || s.$ref || s.allOf || s.oneOf || s.anyOf || s.enum)) untyped.push(`${name}.${prop}`);
      }
    }
    expect(untyped).toEqual([]);
    expect(schemas.CreateAppearanceDto.required).toEqual(expect.arrayContaining(['institutionId', 'kind', 'title', 'format', 'audience']));
    const create = doc.paths['/appearances'].post;
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateAppearanceDto');
    expect(create.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/AppearanceDetailView');
    expect(create.responses['409']).toBeDefined();
    const list = doc.paths['/appearances'].get;
    expect(list.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'officeId', 'institutionId', 'recruiterId', 'status', 'kind', 'order', 'page', 'pageSize']));
    expect(doc.paths['/institutions/{id}'].patch.parameters.map((p: any) => p.name)).toContain('If-Match');
  });

  it("documents what a coordinator's lists and the planning answers carry: /attention, the filters, warnings, the clash's person", () => {
    const schemas = doc.components.schemas;
    expect(doc.paths['/attention'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/AttentionView');
    expect(Object.keys(schemas.AttentionView.properties)).toEqual(['asOf', 'officeId', 'unacknowledged', 'upcoming', 'debriefsOverdue', 'advanceNotice']);
    expect(Object.keys(schemas.UnacknowledgedWarning.properties)).toEqual(expect.arrayContaining(['notAcknowledged', 'escalatesAt', 'escalated']));
    expect(doc.paths['/appearances'].get.parameters.map((p: any) => p.name)).toContain('riskLevel');
    expect(doc.paths['/notifications'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['ackRequired', 'acknowledged']));
    expect(Object.keys(schemas.NotificationView.properties)).toEqual(expect.arrayContaining(['appearanceTitle', 'riskLevel', 'subject', 'mailLevel']));
    expect(schemas.RiskAssessmentView.properties.shortNotice.allOf?.[0]?.$ref ?? schemas.RiskAssessmentView.properties.shortNotice.$ref).toBe('#/components/schemas/ShortNoticeView');
    expect(Object.keys(schemas.AppearanceDetailView.properties)).toContain('warnings');
    expect(Object.keys(schemas.CreateAppearanceDto.properties)).toContain('allowShortNotice');
    expect(Object.keys(schemas.ClashView.properties)).toEqual(expect.arrayContaining(['recruiterName', 'startsLocal', 'endsLocal']));
    expect(doc.paths['/notifications/ack'].get.summary).toMatch(/names the warning/);
  });

  it("passes Spectral's spectral:oas ruleset with no error and no warning", async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(JSON.parse(JSON.stringify(doc)));
    // 0 = error, 1 = warning (2 info and 3 hint are advice, not failures)
    const findings = results.filter((r) => r.severity <= 1).map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(findings).toEqual([]);
  });

  it('gives every operation a success response with a schema (204 No Content excepted), a description, and defined tags; servers are listed', () => {
    const missing: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [m, op] of Object.entries(ops)) {
        const success = Object.entries(op.responses as Record<string, any>).filter(([code]) => /^2/.test(code));
        const typed = success.some(([code, r]) => code === '204' || Object.values(r.content ?? {}).some((c: any) => c.schema));
        if (!typed) missing.push(`${m.toUpperCase()} ${p}`);
        if (!op.description?.includes('Access: ')) missing.push(`${m.toUpperCase()} ${p}: no access in the description`);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.servers).toEqual([{ url: 'http://forewarn.test', description: expect.any(String) }]);
    expect(doc.tags.map((x: any) => x.name)).toEqual(expect.arrayContaining(['auth', 'appearances', 'reports', 'calendar']));
    expect(doc.tags.every((x: any) => x.description)).toBe(true);
    expect(doc.paths['/reports/outcomes'].get.description).toContain('Access: signed in as hr, admin, coordinator');
    expect(doc.paths['/calendar/{file}'].get.description).toContain('Access: no sign-in');
  });

  it('types nullable numbers and strings as such, never as a bare object', () => {
    const bare: string[] = [];
    const walk = (s: any, at: string) => {
      if (!s || typeof s !== 'object') return;
      if (s.type === 'object' && !s.properties && !s.additionalProperties && !s.allOf && !s.$ref) bare.push(at);
      for (const [k, v] of Object.entries(s)) if (k !== 'example') walk(v, `${at}.${k}`);
    };
    walk(doc.components.schemas, 'schemas');
    expect(bare).toEqual([]);
    expect(doc.components.schemas.PutOutcomeDto.properties.attendance).toMatchObject({ type: 'integer', nullable: true });
    expect(doc.components.schemas.RiskAssessmentView.properties.id).toMatchObject({ type: 'string', nullable: true });
  });

  it('describes what the API really answers: real responses validate against their documented schemas (no field missing, none extra)', async () => {
    const admin = await t.factories.user('admin');
    const coordinator = seed.coordinatorA;
    const check = responseValidator(doc);
    const problems: string[] = [];
    const inst = seed.u1;
    const debriefed = seed.appearances[0];
    // Planned through the API, so it carries a real assessment (the report fixtures' snapshots are partial).
    const planned = await t
      .http()
      .post('/appearances')
      .set(t.auth(admin))
      .send({
        institutionId: inst.id,
        officeId: seed.officeA.id,
        kind: 'career_fair',
        title: 'Autumn fair',
        startsLocal: '2026-09-15T10:00',
        endsLocal: '2026-09-15T14:00',
        timeZone: 'America/New_York',
        format: 'in_person',
        audience: 'public',
        recruiterIds: [seed.recruiter.id],
      })
      .expect(201);
    problems.push(...check('POST', '/appearances', 201, String(planned.headers['content-type']), planned.body));
    const a = planned.body as { id: string };
    const reads: [string, { id: string; email: string; role: string; officeId: string | null }][] = [
      ['/me', admin],
      ['/me/notification-preferences', admin],
      ['/users', admin],
      [`/users/${seed.recruiter.id}`, admin],
      ['/offices', admin],
      [`/offices/${seed.officeA.id}`, admin],
      ['/institutions', admin],
      [`/institutions/${inst.id}`, admin],
      [`/institutions/${inst.id}/reception`, admin],
      [`/institutions/${inst.id}/reception/summary`, admin],
      [`/institutions/${inst.id}/timeline`, admin],
      ['/appearances?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z', admin],
      [`/appearances/${a.id}`, admin],
      [`/appearances/${a.id}/risk`, admin],
      [`/appearances/${a.id}/risk/history`, admin],
      [`/appearances/${debriefed.id}/outcome`, admin],
      ['/outcomes/due', coordinator],
      ['/incidents', admin],
      ['/notifications', admin],
      ['/audit', admin],
      ['/attention', coordinator],
      ['/risk/parameters', admin],
      ['/risk/topic-relations', admin],
      ['/health', admin],
      ['/reports/outcomes?groupBy=kind', admin],
      ['/reports/incident-trend', admin],
      ['/reports/reception-trend', admin],
      ['/reports/model-accountability', admin],
      ['/reports/mitigations', admin],
      ['/reports/evidence', admin],
    ];
    for (const [url, who] of reads) {
      const res = await t.http().get(url).set(t.auth(who));
      expect(`${url} ${res.status}`).toBe(`${url} 200`);
      problems.push(...check('GET', url, res.status, String(res.headers['content-type']), res.body));
    }
    const preview = await t.http().post('/risk/preview').set(t.auth(admin)).send({ appearanceId: a.id, format: 'virtual' }).expect(200);
    problems.push(...check('POST', '/risk/preview', 200, String(preview.headers['content-type']), preview.body));
    const csv = await t.http().get('/reports/outcomes').set(t.auth(admin)).set('Accept', 'text/csv').expect(200);
    problems.push(...check('GET', '/reports/outcomes', 200, String(csv.headers['content-type']), csv.text));
    expect(problems).toEqual([]);
    // The check can fail: an undocumented field, a missing one and a wrong type are each named.
    const me = (await t.http().get('/me').set(t.auth(admin))).body;
    const drifted = check('GET', '/me', 200, 'application/json', { ...me, secret: 'x', email: 42, role: undefined });
    expect(drifted.join('\n')).toMatch(/additional properties \(secret\)/);
    expect(drifted.join('\n')).toMatch(/\/email must be string/);
    expect(drifted.join('\n')).toMatch(/must have required property 'role'/);
  });
});
