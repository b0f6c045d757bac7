import { readdir, readFile } from 'node:fs/promises';

/**
 * Resident memory of a process and every descendant, read from `/proc` (Linux): the runtime's DynamoDB Local is a
 * Java child and DuckDB allocates outside the V8 heap, so `process.memoryUsage()` of one process would miss most of it.
 */
export async function processTreeRssBytes(rootPid: number): Promise<number> {
  const pids = await descendantsOf(rootPid);
  let total = 0;
  for (const pid of [rootPid, ...pids]) total += await vmRssBytes(pid);
  return total;
}

/** Every live descendant of `rootPid` (children, their children, …), from each process's parent in `/proc/<pid>/stat`. */
async function descendantsOf(rootPid: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const parent = await parentOf(Number(entry));
    if (parent === null) continue;
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(entry));
    children.set(parent, siblings);
  }
  const found: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

/** The parent pid, the 4th field of `/proc/<pid>/stat` after the parenthesised command (which may hold spaces). */
async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const parent = Number(fields[1]);
  return Number.isInteger(parent) ? parent : null;
}

/** `VmRSS` of one process in bytes; 0 once it has exited (a sample may race its exit). */
async function vmRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
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
  let sampling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(async () => {
      const bytes = await processTreeRssBytes(rootPid);
      samples += 1;
      whole = Math.max(whole, bytes);
      if (measuring) measured = Math.max(measured, bytes);
    });
  }, intervalMs);
  return {
    /** The child says its measured phase started or ended (IPC). */
    setMeasuring(value: boolean): void {
      measuring = value;
    },
    async stop(): Promise<RssPeaks> {
      clearInterval(timer);
      await sampling;
      return { wholeRunBytes: whole, measuredBytes: measured, samples };
    },
  };
}
