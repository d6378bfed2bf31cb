import { Topic, TOPICS } from './enums';

/** Bit of one topic in `incidents.topic_mask`. */
export function topicBit(t: Topic): number {
  return 1 << TOPICS.indexOf(t);
}

/** Topics → mask (unknown names are the caller's to refuse; duplicates collapse). */
export function topicMask(topics: readonly Topic[] | null | undefined): number {
  let m = 0;
  for (const t of topics ?? []) m |= topicBit(t);
  return m;
}

/** Mask → topics in vocabulary order. */
export function topicsOf(mask: number | null | undefined): Topic[] {
  const m = Number(mask ?? 0);
  return TOPICS.filter((_, i) => (m & (1 << i)) !== 0);
}

/** Every bit a valid mask may carry. */
export const ALL_TOPICS_MASK = (1 << TOPICS.length) - 1;

/**
 * A topic list typed in a CSV cell ("immigration_enforcement; recruiting_employers"): separated by
 * `;`, `,`, `|` or spaces. Returns the topics and the words that are not topics.
 */
export function parseTopicList(text: string | null | undefined): { topics: Topic[]; unknown: string[] } {
  const words = String(text ?? '')
    .split(/[;,|\s]+/)
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  const topics: Topic[] = [];
  const unknown: string[] = [];
  for (const w of words) {
    if ((TOPICS as readonly string[]).includes(w)) {
      if (!topics.includes(w as Topic)) topics.push(w as Topic);
    } else unknown.push(w);
  }
  return { topics, unknown };
}

/**
 * The Crowd Counting Consortium compilation's flags → topics: about recruiting (career fairs,
 * recruiters) → recruiting_employers; about immigration enforcement → immigration_enforcement;
 * about Gaza → foreign_policy; none of them → other.
 */
export const CCC_FLAG_TOPICS: Readonly<Record<string, Topic>> = Object.freeze({
  about_recruiting: 'recruiting_employers',
  about_immigration_enforcement: 'immigration_enforcement',
  about_gaza: 'foreign_policy',
});

export function cccTopics(row: Record<string, string | undefined>): Topic[] {
  const out: Topic[] = [];
  for (const [flag, topic] of Object.entries(CCC_FLAG_TOPICS)) if (/^(yes|true|1)$/i.test(String(row[flag] ?? '').trim())) out.push(topic);
  return out.length ? out : ['other'];
}
