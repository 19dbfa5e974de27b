import type { DocKind } from '@tandem/domain';
import type { Doc } from './doc.entity';

export interface DocView {
  id: string;
  programId: string;
  kind: DocKind;
  title: string;
  createdBy: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
  lastEditedAt: string | null;
  archivedAt: string | null;
}

export const docView = (doc: Doc): DocView => ({
  id: doc.id,
  programId: doc.program.id,
  kind: doc.kind,
  title: doc.title,
  createdBy: { id: doc.createdBy.id, name: doc.createdBy.name },
  createdAt: doc.createdAt.toISOString(),
  updatedAt: doc.updatedAt.toISOString(),
  lastEditedAt: doc.lastEditedAt?.toISOString() ?? null,
  archivedAt: doc.archivedAt?.toISOString() ?? null,
});
