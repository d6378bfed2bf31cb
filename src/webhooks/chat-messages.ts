import type { IncomingWebhookSendArguments } from '@slack/webhook';
import { DateTime } from 'luxon';
import type { ChatPayload } from './webhook-events';

const LEVEL_WORDS: Record<string, string> = { low: 'Low', moderate: 'Moderate', high: 'High', critical: 'Critical' };

export interface ChatText {
  headline: string;
  facts: { title: string; value: string }[];
  /** The main reasons for the level (Critical briefings), shown as a list; empty otherwise. */
  reasons: string[];
  link: string;
  linkLabel: string;
  critical: boolean;
}

/** The words of a chat message, shared by Slack and Teams. */
export function chatText(p: ChatPayload, link: string): ChatText {
  const level = p.level ? (LEVEL_WORDS[p.level] ?? p.level) : 'unknown';
  const critical = p.level === 'critical';
  const when = DateTime.fromMillis(p.startsAt, { zone: p.timeZone }).toFormat("ccc d LLL yyyy, HH:mm '('ZZZZ')'");
  const headline =
    p.type === 'risk.level_rose'
      ? `${critical ? 'CRITICAL: ' : ''}Risk ${p.from ? `rose from ${LEVEL_WORDS[p.from] ?? p.from} to` : 'is'} ${level} for "${p.title}"`
      : p.type === 'briefing.critical'
        ? `CRITICAL: briefing for "${p.title}": serious disruption is likely, a go/no-go decision is needed`
        : `Not acknowledged: the ${level} warning for "${p.title}" reached ${p.recipients ?? 0} people and nobody has acknowledged it`;
  const facts = [
    { title: 'Appearance', value: p.title },
    { title: 'Institution', value: p.institutionName || '—' },
    { title: 'When', value: when },
    { title: 'Risk level', value: level },
  ];
  return { headline, facts, reasons: p.reasons ?? [], link, linkLabel: 'Open the appearance (sign in)', critical };
}

/** Slack: Block Kit (header, fields, a button to the appearance page), with `text` as the notification fallback. */
export function slackMessage(t: ChatText): IncomingWebhookSendArguments {
  return {
    text: t.headline,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: t.headline.slice(0, 150), emoji: true } },
      { type: 'section', fields: t.facts.map((f) => ({ type: 'mrkdwn', text: `*${f.title}*\n${escapeSlack(f.value)}` })) },
      ...(t.reasons.length ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `*Why*\n${t.reasons.map((r) => `• ${escapeSlack(r)}`).join('\n')}` } }] : []),
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: t.linkLabel }, url: t.link, ...(t.critical ? { style: 'danger' as const } : {}) }],
      },
    ],
  };
}

/** Microsoft Teams (workflow "when a webhook request is received"): a message with one Adaptive Card 1.4. */
export function teamsMessage(t: ChatText): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: t.headline, weight: 'Bolder', size: 'Medium', wrap: true, color: t.critical ? 'Attention' : 'Warning' },
            { type: 'FactSet', facts: t.facts },
            ...(t.reasons.length ? [{ type: 'TextBlock', text: `Why:\n${t.reasons.map((r) => `- ${r}`).join('\n')}`, wrap: true }] : []),
          ],
          actions: [{ type: 'Action.OpenUrl', title: t.linkLabel, url: t.link }],
        },
      },
    ],
  };
}

function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
