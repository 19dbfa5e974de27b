import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';

/**
 * The automerge-paper editing history (259,778 transactions, /work/shared/traces) replayed into a
 * Y.Text named `paper`, one Yjs transaction per recorded transaction, as one author typing it.
 * Encoded once and cached: every server is then handed the same bytes.
 */
export const TRACE = process.env.BENCH_TRACES ?? '/work/shared/traces/automerge-paper.json.gz';
export const PAPER_FILE = join(tmpdir(), 'tandem-bench-paper-v1.bin');
const CACHE = PAPER_FILE;

export function paperState() {
  if (existsSync(CACHE)) return { state: new Uint8Array(readFileSync(CACHE)), ...readMeta() };
  const trace = JSON.parse(gunzipSync(readFileSync(TRACE)).toString('utf8'));
  const doc = new Y.Doc();
  const text = doc.getText('paper');
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      }
    });
  }
  if (text.toString() !== trace.endContent) throw new Error('automerge-paper replay does not end with endContent');
  const state = Y.encodeStateAsUpdate(doc);
  mkdirSync(tmpdir(), { recursive: true });
  writeFileSync(CACHE, state);
  writeFileSync(`${CACHE}.json`, JSON.stringify({ length: text.length, transactions: trace.txns.length }));
  return { state, length: text.length, transactions: trace.txns.length };
}

function readMeta() {
  return JSON.parse(readFileSync(`${CACHE}.json`, 'utf8'));
}
