import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Runtime } from '../runtime/runtime.ts';
import { landObjects } from './main-job.ts';
import { pipelineReport } from './pipeline-state.ts';
import { formatReport } from './report.ts';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]),
    ),
  );
  return nested.flat();
}

/**
 * `run --watch`: upload every new or changed file under `folder` as `inbound/<relative path>` and print
 * the report whenever the pipeline goes idle. Runs until SIGINT/SIGTERM.
 */
export async function watchLandingFolder(runtime: Runtime, folder: string): Promise<number> {
  console.log(
    `Watching ${folder}: drop files as <partner>/<dataset>/<YYYY-MM-DD>/<name>.csv. Ctrl-C stops the runtime.`,
  );
  const seen = new Map<string, string>();
  for (;;) {
    const dropped: { landingKey: string; bytes: Uint8Array }[] = [];
    for (const path of await listFiles(folder)) {
      const info = await stat(path);
      const signature = `${info.size}:${info.mtimeMs}`;
      if (seen.get(path) === signature) continue;
      seen.set(path, signature);
      dropped.push({
        landingKey: `inbound/${relative(folder, path).split(sep).join('/')}`,
        bytes: await readFile(path),
      });
    }
    if (dropped.length > 0) {
      await landObjects(runtime, dropped);
      await runtime.waitForIdle({ timeoutMs: 300_000 });
      console.log(formatReport(await pipelineReport(runtime)));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
