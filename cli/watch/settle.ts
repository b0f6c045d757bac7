/** What one poll sees of a file. `ctimeMs` moves on chmod too, so fixing a permission counts as a change. */
export interface FileState {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

const signatureOf = (state: FileState): string => `${state.sizeBytes}:${state.mtimeMs}:${state.ctimeMs}`;

/**
 * Which dropped files are ready to land. A file is ready once two polls in a row saw it unchanged (a partner still
 * writing it is not half-uploaded), and only if it changed since it was last handled (landed, refused or failed):
 * a failed file is retried when it changes, a landed one is landed again only when its content may have.
 * A file that disappears is forgotten, so dropping it again lands it again.
 * @example const ready = tracker.ready(snapshot); for (const path of ready) tracker.handled(path, snapshot.get(path)!)
 */
export class SettleTracker {
  private readonly lastSeen = new Map<string, string>();
  private readonly lastHandled = new Map<string, string>();

  /** Record one poll and return the paths that are ready, in path order. */
  ready(snapshot: ReadonlyMap<string, FileState>): string[] {
    for (const path of [...this.lastSeen.keys()]) {
      if (!snapshot.has(path)) {
        this.lastSeen.delete(path);
        this.lastHandled.delete(path);
      }
    }
    const ready: string[] = [];
    for (const [path, state] of [...snapshot].sort(([a], [b]) => a.localeCompare(b))) {
      const signature = signatureOf(state);
      const settled = this.lastSeen.get(path) === signature;
      this.lastSeen.set(path, signature);
      if (settled && this.lastHandled.get(path) !== signature) ready.push(path);
    }
    return ready;
  }

  /** Remember the state a file was handled in; it is ready again only in another state. */
  handled(path: string, state: FileState): void {
    this.lastHandled.set(path, signatureOf(state));
  }
}
