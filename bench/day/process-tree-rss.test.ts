import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processTreeRssBytes, sampleProcessTree } from './process-tree-rss.ts';

const ownRss = (pid: number): number =>
  Number(/^VmRSS:\s+([0-9]+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

describe('processTreeRssBytes', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    // The whole group: the grandchild too.
    for (const child of children.splice(0)) process.kill(-(child.pid as number));
  });

  it('adds the resident memory of a child and its grandchild to the root', async () => {
    // Prepare: a shell child that starts a sleeping grandchild
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', detached: true });
    children.push(child);
    await once(child, 'spawn');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const grandchild = Number(
      readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0],
    );

    // Act
    const tree = processTreeRssBytes(process.pid);

    // Assess: the child's and grandchild's own RSS, and most of the root's (it may shrink between the reads)
    expect(grandchild).toBeGreaterThan(0);
    expect(tree).toBeGreaterThan(
      ownRss(child.pid as number) + ownRss(grandchild) + 0.5 * ownRss(process.pid),
    );
  });

  it('reads 0 for a process that has exited', async () => {
    // Prepare
    const child = spawn('true', { stdio: 'ignore' });
    await once(child, 'exit');

    // Act and assess
    expect(processTreeRssBytes(child.pid as number)).toBe(0);
  });
});

describe('sampleProcessTree', () => {
  it('keeps the peak of the whole run and of the measured phase', async () => {
    // Act
    const sampler = sampleProcessTree(process.pid, 10);
    sampler.setMeasuring(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const peaks = await sampler.stop();

    // Assess
    expect(peaks.samples).toBeGreaterThan(0);
    expect(peaks.measuredBytes).toBeGreaterThan(0);
    expect(peaks.wholeRunBytes).toBeGreaterThanOrEqual(peaks.measuredBytes);
  });
});
