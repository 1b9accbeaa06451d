import { JobsService } from '../../src/common/jobs/jobs.service';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** pg-boss is wired: handlers registered before boot run jobs; failures retry, then dead-letter. */
describe('background jobs', () => {
  let app: TestApp;
  const seen: string[] = [];
  let attempts = 0;
  const batchRuns = new Map<number, number>();
  let inFlight = 0;
  let mostInFlight = 0;

  beforeAll(async () => {
    app = await startTestApp(
      { JOBS_ENABLED: '1' },
      {
        configure: (nest) => {
          const jobs = nest.get(JobsService);
          jobs.register<{ word: string }>('test-echo', async (data) => {
            seen.push(data.word);
          });
          jobs.register<{ n: number }>(
            'test-always-fails',
            async () => {
              attempts++;
              throw new Error('boom');
            },
            { retryLimit: 1, retryDelaySeconds: 1 },
          );
          jobs.register<{ n: number }>(
            'test-batch',
            async ({ n }) => {
              const run = (batchRuns.get(n) ?? 0) + 1;
              batchRuns.set(n, run);
              mostInFlight = Math.max(mostInFlight, ++inFlight);
              await new Promise((r) => setTimeout(r, 50)).finally(() => inFlight--);
              if (n === 3 && run === 1) throw new Error('first attempt of 3 fails');
            },
            { retryLimit: 2, retryDelaySeconds: 1, batchSize: 5 },
          );
        },
      },
    );
  }, 60000);
  afterAll(async () => app.stop());

  const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 20000) => {
    const until = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('runs a queued job', async () => {
    await app.app.get(JobsService).send('test-echo', { word: '안녕' });
    await waitFor(() => seen.includes('안녕'));
  });

  it('retries a failing job and then moves it to the dead-letter list', async () => {
    const jobs = app.app.get(JobsService);
    await jobs.send('test-always-fails', { n: 1 });
    await waitFor(async () => (await jobs.deadLetters()).some((j) => (j.data as { n?: number }).n === 1), 30000);
    expect(attempts).toBe(2);
  }, 40000);

  it('runs claimed batches side by side and retries only the job of a batch that failed', async () => {
    const jobs = app.app.get(JobsService);
    for (let n = 1; n <= 5; n++) await jobs.send('test-batch', { n });
    jobs.wake('test-batch');
    await waitFor(() => batchRuns.get(3) === 2, 30000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mostInFlight).toBeGreaterThan(1);
    expect([...batchRuns].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 1],
    ]);
    const states = await app.dataSource.query<Array<{ state: string; n: number }>>(
      `SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = 'test-batch' GROUP BY state`,
    );
    expect(states).toEqual([{ state: 'completed', n: 5 }]);
  }, 40000);

  it('schedules the hourly clean-up of never-attached uploads', async () => {
    const rows = await app.dataSource.query<Array<{ name: string; cron: string }>>(
      'SELECT name, cron FROM pgboss.schedule',
    );
    expect(rows).toContainEqual({ name: 'attachments-cleanup', cron: '17 * * * *' });
  });

  it('reports queue depth in /metrics', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/sori_job_queue_depth\{queue="test-echo"\} \d+/);
  });
});
