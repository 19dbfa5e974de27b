/**
 * REST helpers for plans and retros (documents, versions, retro card conversion). Document
 * content itself is never sent over REST: it travels over `/collab` (see session.svelte.ts).
 */
import type { CardConversion, Doc, DocVersion, DocVersionPreview, DocVersionRestore, RequestBodyOf, ResponseOf, Wave } from '@tandem/api-client';
import { request, type Fetch } from '$lib/api';

export type { CardConversion, Doc, DocVersion, DocVersionPreview, DocVersionRestore, Wave };
export type DocKind = Doc['kind'];
export type DocPage = ResponseOf<'/api/v1/programs/{program}/docs', 'get'>;
export type VersionPage = ResponseOf<'/api/v1/docs/{id}/versions', 'get'>;
export type WavePage = ResponseOf<'/api/v1/programs/{program}/waves', 'get'>;
export type NewDoc = RequestBodyOf<'/api/v1/programs/{program}/docs', 'post'>;
export type ConvertCard = RequestBodyOf<'/api/v1/docs/{id}/cards/{cardId}/convert', 'post'>;

const enc = encodeURIComponent;

export function listDocs(f: Fetch, program: string, options: { cursor?: string | null; includeArchived?: boolean } = {}): Promise<DocPage> {
  const query = new URLSearchParams();
  if (options.cursor) query.set('cursor', options.cursor);
  if (options.includeArchived) query.set('includeArchived', 'true');
  const qs = query.toString();
  return request<DocPage>(f, `/programs/${enc(program)}/docs${qs ? `?${qs}` : ''}`);
}

export const createDoc = (f: Fetch, program: string, body: NewDoc) => request<Doc>(f, `/programs/${enc(program)}/docs`, { method: 'POST', body });

export const getDoc = (f: Fetch, id: string) => request<Doc>(f, `/docs/${enc(id)}`);

export const renameDoc = (f: Fetch, id: string, title: string) => request<Doc>(f, `/docs/${enc(id)}`, { method: 'PATCH', body: { title } });

export const archiveDoc = (f: Fetch, id: string) => request<Doc>(f, `/docs/${enc(id)}/archive`, { method: 'POST' });

/** Brings an archived document back (the Undo of archiving). */
export const unarchiveDoc = (f: Fetch, id: string) => request<Doc>(f, `/docs/${enc(id)}/restore`, { method: 'POST' });

export const listVersions = (f: Fetch, id: string, cursor?: string | null) =>
  request<VersionPage>(f, `/docs/${enc(id)}/versions${cursor ? `?cursor=${enc(cursor)}` : ''}`);

export const saveVersion = (f: Fetch, id: string, name: string) => request<DocVersion>(f, `/docs/${enc(id)}/versions`, { method: 'POST', body: { name } });

export const getVersion = (f: Fetch, id: string, versionId: string) => request<DocVersionPreview>(f, `/docs/${enc(id)}/versions/${enc(versionId)}`);

export const restoreVersion = (f: Fetch, id: string, versionId: string) =>
  request<DocVersionRestore>(f, `/docs/${enc(id)}/versions/${enc(versionId)}/restore`, { method: 'POST' });

export const convertCard = (f: Fetch, id: string, cardId: string, body: ConvertCard) =>
  request<CardConversion>(f, `/docs/${enc(id)}/cards/${enc(cardId)}/convert`, { method: 'POST', body });

export const listWaves = (f: Fetch, program: string) => request<WavePage>(f, `/programs/${enc(program)}/waves?limit=200`);

/** Where the exports are served (plain links: the browser downloads them with the session cookie). */
export const exportUrl = (id: string, format: 'md' | 'html') => `/api/v1/docs/${enc(id)}/export.${format}`;
