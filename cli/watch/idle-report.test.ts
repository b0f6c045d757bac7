import { describe, expect, it } from 'vitest';
import { type IdleReportDeps, IdleReporter } from './idle-report.ts';

/** Fake deps: each waitForIdle call takes the next answer ('idle' or 'timeout'). */
function fakeDeps(answers: ('idle' | 'timeout')[], options: { reportFails?: boolean } = {}) {
  const lines: { level: 'info' | 'problem'; line: string }[] = [];
  let waits = 0;
  const deps: IdleReportDeps = {
    async waitForIdle() {
      const answer = answers[waits] ?? 'idle';
      waits += 1;
      if (answer === 'timeout') throw new Error('The runtime did not become idle within 10 ms.');
    },
    pendingMessages: async () => 3,
    async report() {
      if (options.reportFails) throw new Error('DynamoDB Local is gone');
      return `REPORT after ${waits} wait(s)`;
    },
    info: (line) => lines.push({ level: 'info', line }),
    problem: (line) => lines.push({ level: 'problem', line }),
  };
  return { deps, lines, waits: () => waits };
}

describe('IdleReporter', () => {
  it('prints the report once the pipeline is idle', async () => {
    // Prepare
    const { deps, lines } = fakeDeps(['idle']);
    const reporter = new IdleReporter(deps, 10);

    // Act
    reporter.request();
    await reporter.settled();

    // Assess
    expect(lines).toEqual([{ level: 'info', line: 'REPORT after 1 wait(s)' }]);
  });

  it('reports a timed-out wait with the pending message count and keeps waiting', async () => {
    // Prepare
    const { deps, lines } = fakeDeps(['timeout', 'timeout', 'idle']);
    const reporter = new IdleReporter(deps, 10);

    // Act
    reporter.request();
    await reporter.settled();

    // Assess
    expect(lines.map((entry) => entry.line)).toEqual([
      'Still processing 3 messages; the report follows when idle.',
      'Still processing 3 messages; the report follows when idle.',
      'REPORT after 3 wait(s)',
    ]);
  });

  it('answers any number of requests made during a wait with one more report after it', async () => {
    // Prepare
    const { deps, lines, waits } = fakeDeps(['idle', 'idle', 'idle']);
    const reporter = new IdleReporter(deps, 10);

    // Act
    reporter.request();
    reporter.request();
    reporter.request();
    await reporter.settled();

    // Assess
    expect(waits()).toBe(2);
    expect(lines.map((entry) => entry.line)).toEqual(['REPORT after 1 wait(s)', 'REPORT after 2 wait(s)']);
  });

  it('reports a report that cannot be built, with a next step, without throwing', async () => {
    // Prepare
    const { deps, lines } = fakeDeps(['idle'], { reportFails: true });
    const reporter = new IdleReporter(deps, 10);

    // Act
    reporter.request();
    await reporter.settled();

    // Assess
    expect(lines).toEqual([
      {
        level: 'problem',
        line: 'Could not build the report: DynamoDB Local is gone. Next step: run `finledger status` once the runtime is idle.',
      },
    ]);
  });

  it('prints nothing once stopped', async () => {
    // Prepare
    const { deps, lines } = fakeDeps(['timeout', 'idle']);
    const reporter = new IdleReporter(deps, 10);

    // Act
    reporter.request();
    reporter.stop();
    await reporter.settled();

    // Assess
    expect(lines).toEqual([]);
  });
});
