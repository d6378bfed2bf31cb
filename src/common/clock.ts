/**
 * The only source of "now". Injected everywhere (token CLOCK) so tests can ask "what is due at T"
 * without sleeping or mocking timers.
 */
export abstract class Clock {
  abstract now(): number; // epoch milliseconds, UTC
  nowDate(): Date {
    return new Date(this.now());
  }
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock tests can set and advance. */
export class FixedClock extends Clock {
  constructor(private current: number = Date.UTC(2026, 0, 15, 12)) {
    super();
  }
  now(): number {
    return this.current;
  }
  set(ms: number | string | Date): void {
    this.current = typeof ms === 'number' ? ms : new Date(ms).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
