import type { Health } from '@tandem/domain';
import type { StatusUpdate } from './status-update.entity';

/** A person as the planning views show them: no email, which stays on the people pages. */
export interface AuthorRef {
  id: string;
  name: string;
}

export interface StatusUpdateView {
  id: string;
  health: Health;
  /** markdown, as the author wrote it */
  narrative: string;
  author: AuthorRef;
  createdAt: string;
}

export const authorRef = (user: { id: string; name: string }): AuthorRef => ({ id: user.id, name: user.name });

export const statusUpdateView = (update: StatusUpdate): StatusUpdateView => ({
  id: update.id,
  health: update.health,
  narrative: update.narrative,
  author: authorRef(update.author),
  createdAt: update.createdAt.toISOString(),
});
