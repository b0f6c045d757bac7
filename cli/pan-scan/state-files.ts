import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { scanContent } from '../../lib/card-data/scan/content-scan.ts';
import { cardFinding } from '../../lib/card-data/scan/findings.ts';
import type { ScanReport } from '../../lib/card-data/scan/scan-report.ts';
import { scanText } from '../../lib/card-data/scan/text-scan.ts';
import type { BusEvent } from '../../runtime/bus-events.ts';
import { isCardDataNotification } from '../../runtime/local-bus.ts';

/**
 * Every file of a state folder's bus archive (`<stateDir>/bus-archive/`), read as stored (not parsed first, so a
 * line that is not a valid event is scanned too). A finding names its line and, when the line is an event, its
 * detail-type and id.
 */
export async function scanArchiveDir(dir: string, report: ScanReport): Promise<void> {
  for (const file of await filesUnder(dir, report, 'bus archive')) {
    report.scanned.archiveFiles += 1;
    const bytes = await readFile(file);
    const lines = bytes.toString('utf8').split('\n');
    report.scanned.archivedEvents += lines.filter((line) => line.trim() !== '').length;
    const { hits, notes } = await scanContent(bytes);
    for (const hit of hits) {
      const line = hit.line ?? 0;
      report.findings.push(
        cardFinding({
          store: 'archive',
          container: relative(dir, file),
          entry: `line ${line}${describeEvent(lines[line - 1])}`,
          where: hit.where,
          excerpt: hit.excerpt,
        }),
      );
    }
    report.notes.push(...notes.map((note) => maskCardNumbers(`archive ${file}: ${note}`)));
  }
}

/**
 * An in-memory archive (a runtime without a state folder): each event as its JSON. S3 notifications of keys holding
 * a card number are the restricted part of the archive (on disk, `<stateDir>/restricted/bus-archive/`), exempt
 * like `restricted/` objects.
 */
export function scanArchivedEvents(events: readonly BusEvent[], report: ScanReport): void {
  events.forEach((event, index) => {
    if (isCardDataNotification(event)) return;
    report.scanned.archivedEvents += 1;
    for (const hit of scanText(JSON.stringify(event)))
      report.findings.push(
        cardFinding({
          store: 'archive',
          container: 'in memory',
          entry: `event ${index + 1} (${event['detail-type']} ${event.id})`,
          where: `column ${hit.column}`,
          excerpt: hit.excerpt,
        }),
      );
  });
}

/** Every file under `<stateDir>/logs/` (the runtime log and its rotations, or anything else put there). */
export async function scanLogDir(dir: string, report: ScanReport): Promise<void> {
  for (const file of await filesUnder(dir, report, 'logs')) {
    report.scanned.logFiles += 1;
    const bytes = await readFile(file);
    report.scanned.logLines += bytes
      .toString('latin1')
      .split('\n')
      .filter((line) => line !== '').length;
    const { hits, notes } = await scanContent(bytes);
    for (const hit of hits)
      report.findings.push(
        cardFinding({
          store: 'log',
          container: relative(dir, file),
          entry: '',
          where: hit.where,
          excerpt: hit.excerpt,
        }),
      );
    report.notes.push(...notes.map((note) => maskCardNumbers(`log ${file}: ${note}`)));
  }
}

function describeEvent(line: string | undefined): string {
  try {
    const event = JSON.parse(line ?? '') as Partial<BusEvent>;
    return event.id ? ` (${event['detail-type']} ${event.id})` : '';
  } catch {
    return '';
  }
}

/** Files under `dir`, at any depth, in name order; a missing folder is noted, not an error. */
async function filesUnder(dir: string, report: ScanReport, what: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    report.notes.push(`no ${what} folder at ${dir}`);
    return [];
  }
}
