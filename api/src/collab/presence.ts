import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Who a connection is: the only person its presence may show. */
export interface PresencePerson {
  id: string;
  name: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An awareness update from one connection, made to speak for that connection only. Awareness is
 * whatever clients write (y-protocols trusts them), so without this anyone who may open a
 * document — a read-only viewer included — could show carets and avatars under someone else's
 * name, or clear another person's presence. Entries for awareness clients another connection
 * announced are dropped; every state's `user` gets the signed-in person's id and name (its colour
 * is kept); a state that is not an object is dropped. Returns null when nothing is left; throws
 * when the update does not decode.
 */
export function ownPresence(update: Uint8Array, person: PresencePerson, announcedElsewhere: (clientId: number) => boolean): Uint8Array | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const kept: { clientId: number; clock: number; json: string }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (announcedElsewhere(clientId)) continue;
    if (state === null) {
      kept.push({ clientId, clock, json: 'null' });
      continue;
    }
    if (!isRecord(state)) continue;
    const user = isRecord(state.user) ? state.user : {};
    kept.push({ clientId, clock, json: JSON.stringify({ ...state, user: { ...user, id: person.id, name: person.name } }) });
  }
  if (!kept.length) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}
