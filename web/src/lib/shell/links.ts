/** Where things live in the web app, in one place so the palette and the portfolio agree. */
const enc = encodeURIComponent;

export const programHref = (key: string): string => `/programs/${enc(key)}`;
/** The program's milestones tab, scrolled to the milestone when the page gives it that id. */
export const milestoneHref = (key: string, id: string): string => `/programs/${enc(key)}/milestones#milestone-${enc(id)}`;
/** The program's rollout page, landing on one wave's checklist item (its cell in the grid). */
export const checklistItemHref = (key: string, id: string): string => `/programs/${enc(key)}/rollout#item-${enc(id)}`;
export const docHref = (key: string, doc: { id: string }): string => `/programs/${enc(key)}/docs/${enc(doc.id)}`;
