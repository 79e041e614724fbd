/**
 * The queue bundle's list of its sources (`core/queue/bundle_entry.ts`):
 * each module's path under the source root, size and modification time when
 * the bundle was built. The bundle runs only while every source still
 * matches, so an edited or updated checkout never runs stale code: it falls
 * back to the source tree until `scripts/dk --prepare` builds a new bundle.
 * Pure: the caller stats the files.
 *
 * @module
 */

/** One source file as it was when the bundle was built. */
export interface SourceStamp {
  /** Path relative to the source root, as `core/queue/run.ts`. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time, milliseconds since the epoch. */
  mtime: number;
}

/** What a stat of one source says: size and mtime, or null if it cannot be read. */
export type StatSource = (
  path: string,
) => { size: number; mtime: number } | null;

/** The manifest as text (JSON), as embedded in the bundle. */
export function formatManifest(stamps: SourceStamp[]): string {
  return JSON.stringify({
    sources: stamps.map((s) => [s.path, s.size, s.mtime]),
  });
}

/**
 * Reads a manifest's text. Returns null for anything else: unparsable JSON,
 * a wrong shape, an empty list, or a path that is absolute or climbs out of
 * the root.
 */
export function parseManifest(text: string): SourceStamp[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const sources = (data as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources) || sources.length === 0) return null;
  const stamps: SourceStamp[] = [];
  for (const entry of sources) {
    if (!Array.isArray(entry) || entry.length !== 3) return null;
    const [path, size, mtime] = entry;
    if (
      typeof path !== "string" || !/^[A-Za-z0-9_.\/-]+$/.test(path) ||
      path.startsWith("/") || path.split("/").includes("..") ||
      !Number.isSafeInteger(size) || size < 0 || !Number.isFinite(mtime)
    ) return null;
    stamps.push({ path, size, mtime });
  }
  return stamps;
}

/**
 * True when every stamped source has its recorded size and mtime now; false
 * when any differs or cannot be read.
 */
export function stampsMatch(stamps: SourceStamp[], stat: StatSource): boolean {
  for (const s of stamps) {
    const now = stat(s.path);
    if (!now || now.size !== s.size || now.mtime !== s.mtime) return false;
  }
  return true;
}
