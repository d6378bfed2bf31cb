import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * One recurring job of a loop (the outbox dispatchers, the notification scheduler), registered by
 * name with @nestjs/schedule's registry: a tick while the previous run is still going does
 * nothing (a run never overlaps itself), a failed run is reported and the next tick runs again, and
 * `stop()` removes the interval and waits for the run in flight.
 */
export class IntervalTask {
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    this.registry.addInterval(
      this.name,
      setInterval(() => this.tick(), intervalMs),
    );
  }

  /** Runs now unless a run is in flight or the task stopped. */
  tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.run()
      .catch(this.onError)
      .finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', this.name)) this.registry.deleteInterval(this.name);
    await this.running;
  }
}
