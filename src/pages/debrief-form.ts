import { OUTCOME_RESULTS } from '../common/enums';
import type { DomainError, FieldErrors } from '../common/errors';
import type { PutOutcomeDto } from '../outcomes/dto/outcome.dto';
import { RESULT_WORDS } from './page-words';

/** The debrief form's fields as the browser sends them (strings; checkboxes as a string or a list). */
export interface DebriefFormValues {
  result: string;
  attendance: string;
  conversations: string;
  leads: string;
  applicationsStarted: string;
  mitigationsUsed: string[];
  notes: string;
}

const COUNTS = [
  { name: 'attendance', label: 'Attendance', hint: 'People who came to the table or session' },
  { name: 'conversations', label: 'Conversations', hint: 'Real conversations held' },
  { name: 'leads', label: 'Leads', hint: 'Leads collected (a count, never names)' },
  { name: 'applicationsStarted', label: 'Applications started', hint: 'On the spot or traced to this appearance' },
] as const;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);

export function valuesFromBody(body: unknown): DebriefFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    result: str(b.result),
    attendance: str(b.attendance).trim(),
    conversations: str(b.conversations).trim(),
    leads: str(b.leads).trim(),
    applicationsStarted: str(b.applicationsStarted).trim(),
    mitigationsUsed: list(b.mitigationsUsed),
    notes: str(b.notes),
  };
}

/** Form values → the API's DTO: empty counts are "not counted", digits are numbers, anything else is left for validation to refuse. */
export function dtoFromValues(v: DebriefFormValues): Record<string, unknown> {
  const count = (s: string) => (s === '' ? null : /^\d{1,9}$/.test(s) ? Number(s) : s);
  return {
    result: v.result,
    attendance: count(v.attendance),
    conversations: count(v.conversations),
    leads: count(v.leads),
    applicationsStarted: count(v.applicationsStarted),
    mitigationsUsed: v.mitigationsUsed,
    notes: v.notes,
  };
}

export function valuesFromOutcome(o: Pick<PutOutcomeDto, 'result' | 'attendance' | 'conversations' | 'leads' | 'applicationsStarted' | 'notes'> & { mitigationsUsed: string[] }): DebriefFormValues {
  const n = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  return {
    result: o.result,
    attendance: n(o.attendance),
    conversations: n(o.conversations),
    leads: n(o.leads),
    applicationsStarted: n(o.applicationsStarted),
    mitigationsUsed: o.mitigationsUsed,
    notes: o.notes ?? '',
  };
}

export interface DebriefErrors {
  summary: string | null;
  result: string | null;
  attendance: string | null;
  conversations: string | null;
  leads: string | null;
  applicationsStarted: string | null;
  mitigationsUsed: string | null;
  notes: string | null;
}

export const NO_ERRORS: DebriefErrors = { summary: null, result: null, attendance: null, conversations: null, leads: null, applicationsStarted: null, mitigationsUsed: null, notes: null };

/** A refused debrief's field reasons, each tied to its field (mitigationsUsed[2] → mitigationsUsed). */
export function errorsFrom(e: DomainError): DebriefErrors {
  const out: DebriefErrors = { ...NO_ERRORS, summary: e.message };
  const fields: FieldErrors = e.fields ?? {};
  for (const [k, msg] of Object.entries(fields)) {
    const key = k.replace(/\[\d+\]$/, '') as keyof DebriefErrors;
    if (key in out && key !== 'summary') out[key] = out[key] ? `${out[key]}; ${msg}` : msg;
  }
  if (!Object.keys(fields).length) out.summary = e.message;
  else out.summary = `${e.message}. Correct the marked ${Object.keys(fields).length > 1 ? 'fields' : 'field'} below.`;
  return out;
}

/** The first refused span of the notes, to show it marked in place. */
export function privacyMark(e: DomainError, notes: string): { before: string; span: string; after: string } | null {
  const hits = (e.details?.hits ?? []) as Array<{ field: string; span: string }>;
  const hit = hits.find((h) => h.field === 'notes');
  if (!hit) return null;
  const at = notes.indexOf(hit.span);
  if (at < 0) return { before: '', span: hit.span, after: '' };
  const from = Math.max(0, at - 60);
  const to = Math.min(notes.length, at + hit.span.length + 60);
  return { before: `${from > 0 ? '…' : ''}${notes.slice(from, at)}`, span: hit.span, after: `${notes.slice(at + hit.span.length, to)}${to < notes.length ? '…' : ''}` };
}

export function formContext(v: DebriefFormValues, errors: DebriefErrors, mitigations: readonly { id: string; text: string }[]) {
  return {
    results: OUTCOME_RESULTS.map((r) => ({ value: r, words: RESULT_WORDS[r], selected: v.result === r })),
    counts: COUNTS.map((c) => ({ ...c, value: v[c.name], error: errors[c.name] })),
    mitigations: mitigations.map((m) => ({ ...m, checked: v.mitigationsUsed.includes(m.id) })),
    notes: v.notes,
  };
}
