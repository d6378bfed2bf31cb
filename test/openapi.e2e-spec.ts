import SwaggerParser from '@apidevtools/swagger-parser';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { createTestApp, TestApp } from './helpers/test-app';

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
        const full = `/${[base, path].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        out.push(`${RequestMethod[method]} ${full}`);
      }
    }
  }
  return out.sort();
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http().get('/docs-json').expect(200)).body;
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
    for (const name of ['CreateInstitutionDto', 'UpdateInstitutionDto', 'InstitutionView', 'InstitutionPage', 'CreateAppearanceDto', 'UpdateAppearanceDto', 'AppearanceView', 'AppearanceDetailView', 'AppearancePage', 'CancelAppearanceDto', 'ErrorBody']) {
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
});
