/**
 * The words someone typed that the server never confirmed, read back out of the Y.Doc so that the
 * page can offer them (access removed, document archived) instead of dropping them silently.
 * Browser-only like the session (it imports Yjs): see live.ts.
 */
import * as Y from 'yjs';

/** A shared type as Yjs types them (`AbstractType<YEvent<any>>`). */
type Shared = Y.Doc['share'] extends Map<string, infer T> ? T : never;

/**
 * The text that `updates` inserted and that is still in `doc`, in document order: one entry per
 * unbroken run (a paragraph typed, a sentence added to one). What they deleted or only formatted
 * has no text to offer. `updates` are the doc's own local updates; every one of them is in `doc`.
 */
export function insertedText(doc: Y.Doc, updates: readonly Uint8Array[]): string[] {
  if (updates.length === 0) return [];
  // One client's local changes are one range of its clocks: [from, to) per client.
  const { from, to } = Y.parseUpdateMeta(updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]));
  const runs: string[] = [];
  const visited = new Set<Shared>();

  const walk = (type: Shared): void => {
    if (visited.has(type)) return;
    visited.add(type);
    let run = '';
    const end = () => {
      if (run.trim()) runs.push(run);
      run = '';
    };
    for (let item: Y.Item | null = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      const content = item.content;
      if (content instanceof Y.ContentString) {
        const start = Math.max((from.get(item.id.client) ?? Infinity) - item.id.clock, 0);
        const stop = Math.min((to.get(item.id.client) ?? 0) - item.id.clock, item.length);
        if (start >= stop) {
          end();
          continue;
        }
        if (start > 0) end();
        run += content.str.slice(start, stop);
        if (stop < item.length) end();
      } else {
        end();
        if (content instanceof Y.ContentType) walk(content.type);
      }
    }
    end();
    for (const item of type._map.values()) if (!item.deleted && item.content instanceof Y.ContentType) walk(item.content.type);
  };

  for (const type of doc.share.values()) walk(type);
  return runs;
}
