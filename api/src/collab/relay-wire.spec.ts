import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KINDS, decodeRelayMessage, encodeRelayMessage } from './relay-wire';

/** The relay's binary frame, as a unit: no Redis involved. */
describe('relay wire format', () => {
  it.each(KINDS)('round-trips a %s message with its node, document and payload bytes', (kind) => {
    const node = randomBytes(16);
    const docId = randomUUID();
    const payload = randomBytes(kind === 'update' ? 300 : 0);
    const decoded = decodeRelayMessage(encodeRelayMessage(kind, node, docId, payload));
    expect(decoded).not.toBeNull();
    expect(decoded?.kind).toBe(kind);
    expect(decoded?.docId).toBe(docId);
    expect(Buffer.from(decoded?.node ?? []).equals(node)).toBe(true);
    expect(Buffer.from(decoded?.payload ?? []).equals(payload)).toBe(true);
  });

  it('costs 34 bytes over the payload (no JSON, no base64)', () => {
    expect(encodeRelayMessage('update', randomBytes(16), randomUUID(), new Uint8Array(1000)).byteLength).toBe(1034);
  });

  it('ignores what it does not understand: another format version, an unknown kind, a short frame', () => {
    const frame = encodeRelayMessage('update', randomBytes(16), randomUUID(), new Uint8Array([1, 2, 3]));
    const newer = Buffer.from(frame);
    newer[0] = 2;
    const unknownKind = Buffer.from(frame);
    unknownKind[1] = KINDS.length;
    expect(decodeRelayMessage(newer)).toBeNull();
    expect(decodeRelayMessage(unknownKind)).toBeNull();
    expect(decodeRelayMessage(frame.subarray(0, 20))).toBeNull();
  });
});
