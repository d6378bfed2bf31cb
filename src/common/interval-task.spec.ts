import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalTask } from './interval-task';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('IntervalTask', () => {
  it('never overlaps a run, reports a failure and runs again after it, and stop waits for the run in flight', async () => {
    const registry = new SchedulerRegistry();
    const runs: ReturnType<typeof deferred>[] = [];
    const errors: string[] = [];
    const task = new IntervalTask(
      registry,
      'test.task',
      () => {
        runs.push(deferred());
        return runs[runs.length - 1].promise;
      },
      (err) => errors.push((err as Error).message),
    );
    task.start(60_000);
    expect(registry.doesExist('interval', 'test.task')).toBe(true);
    task.tick();
    task.tick(); // still running: nothing
    expect(runs).toHaveLength(1);
    runs[0].reject(new Error('boom'));
    await runs[0].promise.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual(['boom']);
    task.tick(); // the failure ended the run: the next tick runs
    expect(runs).toHaveLength(2);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false); // waits for the run in flight
    expect(registry.doesExist('interval', 'test.task')).toBe(false);
    runs[1].resolve();
    await stopping;
    task.tick(); // stopped: nothing more
    expect(runs).toHaveLength(2);
  });
});
