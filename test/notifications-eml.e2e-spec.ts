import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { assess, dispatcher, emit, withMail } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';

/** Without SMTP_URL nothing is lost or faked: the same messages are written as .eml files. */
describe('notifications without SMTP: .eml files in OUTBOX_DIR', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forewarn-outbox-'));
    t = await createTestApp({ now: '2026-03-01T12:00:00Z', override: withMail({ smtpUrl: null, outboxDir: join(dir, 'outbox') }) });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders each notification for real into <id>.eml and reports the file transport on /health', async () => {
    const office = await t.factories.office();
    const rec = await t.factories.user('recruiter', { officeId: office.id, displayName: 'Eve Eml' });
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 5 * HOUR_MS, recruiterIds: [rec.id] });
    await assess(t, a.id, 'critical', 0.8);
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [rec.id] });
    expect((await dispatcher(t).dispatchDue(t.clock.now())).sent).toBe(1);
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    const [id] = files[0].split('.');
    const mail = await simpleParser(readFileSync(join(dir, 'outbox', files[0])));
    expect(mail.messageId).toBe(`<${id}@forewarn>`);
    expect(mail.subject).toMatch(/^\[Critical risk\] Briefing/);
    expect(mail.text).toContain('Hello Eve Eml');
    expect(mail.html).toContain('<strong>Critical</strong>');
    expect(mail.attachments.some((x) => x.contentType.startsWith('text/calendar'))).toBe(true);
    const health = await t
      .http()
      .get('/health')
      .set(t.auth(await t.factories.user('admin')))
      .expect(200);
    expect(health.body.details.mail).toMatchObject({ status: 'up', transport: 'files', state: 'ok' });
    expect(health.body.details.mail).not.toHaveProperty('target'); // where mail goes is not public
  });
});
