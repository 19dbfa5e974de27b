/** The `/live` wire contract lives in @tandem/collab-protocol; room names are the server's own. */
export { LIVE_EVENT, LIVE_NAMESPACE, type PortfolioSubscribeAck, type ProgramChangeEvent, type SubscribeAck } from '@tandem/collab-protocol';

export const programRoom = (programId: string) => `program:${programId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** people who read every program (admins, leadership) hear about programs created anywhere */
export const ALL_PROGRAMS_ROOM = 'programs:all';
