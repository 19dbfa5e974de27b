/** The `/live` wire contract lives in @tandem/collab-protocol; room names are the server's own. */
export { LIVE_EVENT, LIVE_NAMESPACE, type PortfolioSubscribeAck, type ProgramChangeEvent, type SubscribeAck } from '@tandem/collab-protocol';

export const programRoom = (programId: string) => `program:${programId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** the connections opened with one personal API token, closed when it is revoked */
export const tokenRoom = (tokenId: string) => `token:${tokenId}`;
/** the connections opened with one browser session (its `sessionKey`), closed when it signs out */
export const sessionRoom = (key: string) => `session:${key}`;
/** the portfolio pages of people who read every program (admins, leadership): they hear about programs created anywhere */
export const ALL_PROGRAMS_ROOM = 'programs:all';
/** one person's portfolio pages: they follow every program that person comes to read */
export const portfolioRoom = (userId: string) => `portfolio:${userId}`;
