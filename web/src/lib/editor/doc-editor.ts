/**
 * The TipTap editor of a live document, bound to its session's Y.Doc (fragment `default`, as
 * libs/collab-protocol/src/schema.ts names it), with coloured carets from awareness. Browser only:
 * DocEditor.svelte gets it through live.ts, so the server render never loads TipTap or Yjs.
 */
import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import StarterKit from '@tiptap/starter-kit';
import { DOC_FRAGMENT } from '@tandem/collab-protocol';
import { personColorVar } from './people';
import type { DocSession } from './session.svelte';

/**
 * A caret in its person's colour. The colour comes from the custom property DocEditor.svelte sets
 * for each person present: y-tiptap keeps a caret drawn while its person's cursor stays put, so a
 * colour assigned anew when someone joins must reach carets already drawn.
 */
function caret(user: Record<string, unknown>): HTMLElement {
  const published = typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#1f4e8c';
  const color = typeof user.id === 'string' ? `var(${personColorVar(user.id)}, ${published})` : published;
  const name = typeof user.name === 'string' ? user.name : 'Someone';
  const el = document.createElement('span');
  el.className = 'collaboration-carets__caret';
  el.style.borderColor = color;
  el.setAttribute('aria-hidden', 'true');
  el.dataset.name = name;
  const tag = document.createElement('span');
  tag.className = 'collaboration-carets__label';
  tag.style.backgroundColor = color;
  tag.textContent = name;
  el.append(tag);
  return el;
}

/** A read-only editor in `element` (the page makes it editable); `label` names the text area. */
export function createDocEditor(element: HTMLElement, session: DocSession, label: string): Editor {
  return new Editor({
    element,
    editable: false,
    extensions: [
      // No trailing node: every client would append its own paragraph at once on open.
      StarterKit.configure({ undoRedo: false, trailingNode: false, link: { openOnClick: false } }),
      Collaboration.configure({ document: session.ydoc, field: DOC_FRAGMENT }),
      CollaborationCaret.configure({ provider: { awareness: session.provider.awareness }, user: session.user, render: caret }),
    ],
    editorProps: {
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'doc-text' },
    },
  });
}
