import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of a process and every descendant, read from `/proc` (Linux): the runtime's DynamoDB Local is a
 * Java child and DuckDB allocates outside the V8 heap, so `process.memoryUsage()` of one process would miss most of it.
 * Synchronous reads of the tree alone: the sampler shares two cores with the run it measures, and reading every
 * process's `stat` through promises five times a second cost it ~15 % of a core.
 */
export function processTreeRssBytes(rootPid: number): number {
  let total = 0;
  for (const pid of [rootPid, ...descendantsOf(rootPid)]) total += vmRssBytes(pid);
  return total;
}

/**
 * Every live descendant of `rootPid` (children, their children, …), from `/proc/<pid>/task/<tid>/children`: each
 * thread lists the children it started, so every thread of a process is read.
 */
function descendantsOf(rootPid: number): number[] {
  const found: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    for (const child of childrenOf(pid)) {
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

function childrenOf(pid: number): number[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return threads.flatMap((tid) =>
    readOrEmpty(`/proc/${pid}/task/${tid}/children`)
      .split(' ')
      .filter((entry) => entry !== '')
      .map(Number),
  );
}

/** A /proc file's text, or '' once its process or thread has exited (a sample may race an exit). */
function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** `VmRSS` of one process in bytes; 0 once it has exited (a sample may race its exit). */
function vmRssBytes(pid: number): number {
  const status = readOrEmpty(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+([0-9]+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** The largest process-tree RSS seen while sampling, overall and within the phase the child marks as measured. */
export interface RssPeaks {
  readonly wholeRunBytes: number;
  readonly measuredBytes: number;
  readonly samples: number;
}

/**
 * Sample a process tree every `intervalMs` until stopped. The sampler runs in the parent, which is idle, so a child
 * busy in synchronous work is still sampled on time.
 * @example const sampler = sampleProcessTree(child.pid, 200); …; const peaks = await sampler.stop();
 */
export function sampleProcessTree(rootPid: number, intervalMs = 200) {
  let whole = 0;
  let measured = 0;
  let samples = 0;
  let measuring = false;
  const timer = setInterval(() => {
    const bytes = processTreeRssBytes(rootPid);
    samples += 1;
    whole = Math.max(whole, bytes);
    if (measuring) measured = Math.max(measured, bytes);
  }, intervalMs);
  return {
    /** The child says its measured phase started or ended (IPC). */
    setMeasuring(value: boolean): void {
      measuring = value;
    },
    async stop(): Promise<RssPeaks> {
      clearInterval(timer);
      return { wholeRunBytes: whole, measuredBytes: measured, samples };
    },
  };
}
