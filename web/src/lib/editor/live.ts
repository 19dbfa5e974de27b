/**
 * What a live document needs that only a browser runs: the session (Yjs, the IndexedDB copy, the
 * /collab socket), the TipTap editor and the retro board. DocWorkspace loads this once mounted, so
 * the server render never imports Yjs. It must not: the api serving the pages holds Yjs already
 * (its CommonJS build, for /collab), and a second copy in one process (the ESM build) breaks Yjs's
 * instanceof checks — Yjs warns "Yjs was already imported".
 */
export { DocSession } from './session.svelte';
export { createDocEditor } from './doc-editor';
export { default as RetroBoard } from '$lib/retro/RetroBoard.svelte';
