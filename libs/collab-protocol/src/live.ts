import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { binaryParser } from './parser.js';

/**
 * The `/live` namespace: pages subscribe to the programs they show and are told what changed, so
 * they refresh without polling. Events carry no data beyond what changed; pages refetch through
 * the REST API, which applies access rules.
 *
 *  - `subscribe` { programId } → ack SubscribeAck (a program the person may not read: not_found)
 *  - `unsubscribe` { programId }
 *  - `subscribe-portfolio` → ack { ok, programs }: every program the person may read (archived ones
 *    too, so a restore is heard), program creation across the organisation, and — from then on —
 *    the changes of every program created or given to the person after subscribing
 *  - `change` ProgramChangeEvent, after the change is committed
 */
export const LIVE_NAMESPACE = '/live';
export const LIVE_EVENT = 'change';

export interface ProgramChangeEvent {
  programId: string;
  /** program, milestone, dependency, baseline, raci, wave, checklist_item, update, member, doc, … */
  entityType: string;
  entityId: string | null;
  action: string;
  actorId: string | null;
  at: string;
}

export type SubscribeAck = { ok: true } | { ok: false; error: 'not_found' | 'invalid' };
export type PortfolioSubscribeAck = { ok: true; programs: number } | { ok: false; error: 'invalid' };

export interface LiveServerToClient {
  change: (event: ProgramChangeEvent) => void;
  unauthorized: (info: { reason: string }) => void;
}

export interface LiveClientToServer {
  subscribe: (payload: { programId: string }, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (payload: { programId: string }, ack?: (result: { ok: true }) => void) => void;
  'subscribe-portfolio': (payload: Record<string, never>, ack: (result: PortfolioSubscribeAck) => void) => void;
}

export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/** Opens `/live` with the protocol's parser (the server uses it for every namespace). */
export function connectLive(origin?: string, options: Partial<ManagerOptions & SocketOptions> = {}): LiveSocket {
  const url = origin ? `${origin.replace(/\/$/, '')}${LIVE_NAMESPACE}` : LIVE_NAMESPACE;
  return io(url, { transports: ['websocket'], parser: binaryParser, withCredentials: true, ...options }) as LiveSocket;
}
