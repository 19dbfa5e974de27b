import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { hasBoard, NODES, readBoard, readDocument, type DocNode } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { Milestone } from '../milestones/milestone.entity';
import { ChecklistItem } from '../rollouts/rollout.entity';
import { Doc } from './doc.entity';
import { DocContent } from './doc-content.service';
import { htmlPage, toHtml, toMarkdown } from './render';
import { boardNodes } from './retro-export';

export type ExportFormat = 'md' | 'html';

export interface ExportedDoc {
  filename: string;
  /** the Content-Disposition header: an attachment with a safe name */
  disposition: string;
  body: string;
}

export interface RenderedState {
  markdown: string;
  /** the body only (no page around it), for previews inside the app */
  html: string;
}

/** A file name people and browsers accept: no path, quote or control characters, never empty. */
export function exportFilename(title: string, extension: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\w .()-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[\s._]+|[\s._]+$/g, '')
    .slice(0, 100)
    .trim();
  return `${base || 'document'}.${extension}`;
}

/** `attachment` with an ASCII name, plus the exact title for clients that read RFC 5987. */
export function attachmentDisposition(title: string, extension: string): string {
  const exact = encodeURIComponent(`${title.slice(0, 150)}.${extension}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${exportFilename(title, extension)}"; filename*=UTF-8''${exact}`;
}

/**
 * Markdown and HTML of a document as PostgreSQL holds it: its text, and for a retro the board
 * after it, with linked milestones and checklist items named by their current titles.
 */
@Injectable()
export class DocExport {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly content: DocContent) {}

  async export(actor: Actor, docId: string, format: ExportFormat): Promise<ExportedDoc> {
    await this.access.requireChild(actor, Doc, docId, 'Document', 'read');
    const doc = await this.em.findOneOrFail(Doc, { id: docId });
    // A retro's board has no title of its own, and its notes are often empty: the file starts with
    // the retro's name. (A plan's text carries its own headings.)
    const rendered = await this.render(await this.content.storedState(docId), doc.program.id, doc.kind === 'retro' ? doc.title : undefined);
    return {
      filename: exportFilename(doc.title, format),
      disposition: attachmentDisposition(doc.title, format),
      body: format === 'md' ? rendered.markdown : htmlPage(doc.title, rendered.html),
    };
  }

  /**
   * Renders a full state (stored or a version's), board included when there is one. Links are
   * named only from the document's own program: any client can write any id into a card.
   */
  async render(state: Uint8Array, programId: string, title?: string): Promise<RenderedState> {
    const ydoc = new Y.Doc();
    try {
      Y.applyUpdate(ydoc, state);
      const nodes: DocNode[] = [...(title ? [{ type: NODES.heading, attrs: { level: 1 }, content: [{ type: NODES.text, text: title }] }] : []), ...(readDocument(ydoc).content ?? [])];
      if (hasBoard(ydoc)) {
        const board = readBoard(ydoc);
        nodes.push(...boardNodes(board, await this.linkTitles(programId, board.cards.flatMap((c) => (c.link ? [c.link] : [])))));
      }
      const doc: DocNode = { type: 'doc', content: nodes };
      return { markdown: toMarkdown(doc), html: toHtml(doc) };
    } finally {
      ydoc.destroy();
    }
  }

  private async linkTitles(programId: string, links: readonly { type: string; id: string }[]): Promise<Map<string, string>> {
    const ids = (type: string) => [...new Set(links.filter((l) => l.type === type && /^[0-9a-f-]{36}$/i.test(l.id)).map((l) => l.id))];
    const milestones = ids('milestone');
    const items = ids('checklist_item');
    const [m, c] = await Promise.all([
      milestones.length ? this.em.find(Milestone, { id: { $in: milestones }, program: programId }, { fields: ['title'] }) : [],
      items.length ? this.em.find(ChecklistItem, { id: { $in: items }, program: programId }, { fields: ['title'] }) : [],
    ]);
    return new Map([...m, ...c].map((row) => [row.id, row.title]));
  }
}
