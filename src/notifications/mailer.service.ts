import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import { Clock } from '../common/clock';
import { iso } from '../common/time';
import { mailConfig } from '../config';
import type { ComposedMail } from './notification-composer';

export interface MailTransportState {
  transport: 'smtp' | 'files';
  /** Where mail goes (host:port, or the folder), never credentials. */
  target: string;
  state: 'ok' | 'failing' | 'unknown';
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

/** An SMTP reply in the 5xx range: the server refused this message for good. */
export function isPermanentFailure(err: unknown): boolean {
  const code = (err as { responseCode?: number })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * The mail transport: one pooled nodemailer SMTP transport (pool, maxConnections, maxMessages:
 * Infinity) when SMTP_URL is set; otherwise the same messages are rendered for real and written as
 * <notification-id>.eml files under OUTBOX_DIR. Tracks the transport's state for GET /health.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport: Transporter;
  private readonly dir: string | null;
  private readonly status: MailTransportState;

  constructor(
    @Inject(mailConfig.KEY) private readonly cfg: ConfigType<typeof mailConfig>,
    private readonly clock: Clock,
  ) {
    if (cfg.smtpUrl) {
      this.dir = null;
      this.transport = nodemailer.createTransport({
        url: cfg.smtpUrl,
        pool: true,
        maxConnections: cfg.maxConnections,
        maxMessages: Infinity,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
      } as never);
      const u = new URL(cfg.smtpUrl);
      this.status = this.initial('smtp', `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`);
      this.logger.log(`Mail goes through SMTP at ${this.status.target} (pooled, ${cfg.maxConnections} connections)`);
    } else {
      this.dir = resolve(cfg.outboxDir);
      mkdirSync(this.dir, { recursive: true });
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
      this.status = this.initial('files', this.dir);
      this.status.state = 'ok';
      this.logger.log(`No SMTP_URL: mail is written as .eml files to ${this.dir}`);
    }
  }

  private initial(transport: 'smtp' | 'files', target: string): MailTransportState {
    return { transport, target, state: 'unknown', lastSuccessAt: null, lastFailureAt: null, lastError: null, consecutiveFailures: 0 };
  }

  get from(): string {
    return this.cfg.from;
  }

  state(): MailTransportState {
    return { ...this.status };
  }

  /** The nodemailer message for a composed mail (also used by the benchmark's raw baseline). */
  options(m: ComposedMail): SendMailOptions {
    return {
      from: this.cfg.from,
      to: m.to,
      replyTo: this.cfg.replyTo ?? undefined,
      subject: m.subject,
      text: m.text,
      html: m.html,
      messageId: m.messageId,
      date: new Date(this.clock.now()),
      headers: m.headers,
      list: m.unsubscribeUrl ? { unsubscribe: { url: m.unsubscribeUrl, comment: 'Stop these emails' } } : undefined,
      icalEvent: m.calendar ? { method: m.calendar.method, filename: 'invitation.ics', content: m.calendar.content } : undefined,
      disableFileAccess: true,
      disableUrlAccess: true,
      // base64 (native) rather than quoted-printable (a JS byte loop): same result for every client, far less CPU.
      textEncoding: 'base64',
    };
  }

  /** Sends one composed message; resolves with the server's answer, rejects with its error. */
  async send(m: ComposedMail): Promise<string> {
    const options = this.options(m);
    try {
      const info = await this.transport.sendMail(options);
      if (this.dir) {
        const file = join(this.dir, `${m.notificationId}.eml`);
        writeFileSync(`${file}.tmp`, info.message as Buffer);
        renameSync(`${file}.tmp`, file);
      }
      this.status.state = 'ok';
      this.status.consecutiveFailures = 0;
      this.status.lastSuccessAt = iso(this.clock.now());
      return this.dir ? `written ${m.notificationId}.eml` : String(info.response ?? 'accepted');
    } catch (err) {
      this.status.state = 'failing';
      this.status.consecutiveFailures++;
      this.status.lastFailureAt = iso(this.clock.now());
      this.status.lastError = describeError(err);
      throw err;
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

export function describeError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  return [e?.code, e?.responseCode, e?.message ?? String(err)]
    .filter((x) => x !== undefined && x !== null)
    .join(' ')
    .slice(0, 500);
}
