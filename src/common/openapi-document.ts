import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_KEY, ROLES_KEY } from './auth';

/** What each tag of the API covers (tags without an entry here are still listed, without a description). */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Sign in and out: bearer tokens',
  users: 'Accounts, your own profile and calendar feed URL',
  offices: 'Field offices and teams, each with its time zone',
  institutions: 'Universities, police departments, local governments and community organisations',
  reception: 'The append-only ledger of how each institution receives the organisation',
  appearances: 'Planned outreach appearances: times in the venue zone, status, version',
  calendar: 'iCalendar downloads and the personal feed (TZID + VTIMEZONE, reminders)',
  incidents: 'What happened to outreach (never who protested)',
  risk: 'Risk assessments, what-if previews, parameter sets and topic relations',
  notifications: 'The e-mail outbox, acknowledgements and preferences',
  attention: 'What needs a coordinator now',
  outcomes: 'Debriefs after an appearance',
  reports: 'Outcomes, trends and the model’s track record (JSON or CSV)',
  'import / export': 'CSV imports with per-row reports, and CSV exports',
  audit: 'Who did what to which record, when',
  health: 'Liveness and, for admins, each dependency',
  webhooks: 'Outbound webhook endpoints (Standard Webhooks signatures), their secrets and delivery logs',
  chat: "An office's Slack and Teams channels for alerts, and their delivery logs",
  tokens: 'Personal and service API tokens: scopes, expiry, revocation and uses',
};

function routeKey(method: string, path: string): string {
  return `${method.toLowerCase()} ${path}`;
}

/** "get /appearances/{id}" → who may call it, read from the same metadata the auth guard reads. */
function accessByRoute(app: INestApplication): Map<string, string> {
  const out = new Map<string, string>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!cls) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, cls) as string | undefined) ?? '';
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(cls.prototype, name)?.value as unknown;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        const isPublic = (Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, cls)) === true;
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, cls)) as string[] | undefined;
        const access = isPublic
          ? 'Access: no sign-in (anything it needs is in the link or the body).'
          : roles?.length
            ? `Access: signed in as ${roles.join(', ')} (bearer token).`
            : 'Access: any signed-in user (bearer token).';
        out.set(routeKey(RequestMethod[method], full), access);
      }
    }
  }
  return out;
}

/**
 * Completes the generated document: every operation's description says who may call it (from
 * the auth metadata, so it cannot drift), every tag used is listed with what it covers.
 */
export function completeDocument(app: INestApplication, doc: OpenAPIObject): OpenAPIObject {
  const access = accessByRoute(app);
  const used = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops as Record<string, { description?: string; tags?: string[] }>)) {
      if (typeof op !== 'object' || !op || !('responses' in op)) continue;
      const who = access.get(routeKey(method, path));
      if (who && !op.description?.includes('Access: ')) op.description = op.description ? `${op.description}\n\n${who}` : who;
      for (const t of op.tags ?? []) used.add(t);
    }
  }
  const order = Object.keys(TAG_DESCRIPTIONS);
  const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
  doc.tags = [...used].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((name) => (TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name }));
  return doc;
}
