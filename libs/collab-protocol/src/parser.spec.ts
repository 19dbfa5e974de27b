import { describe, expect, it } from 'vitest';
import type { Packet } from 'socket.io-parser';
import { Decoder, decodeBinaryPacket, encodeBinaryPacket, type HeaderCache } from './parser.js';

const event = (docId: string, bytes: number[], id?: number): Packet => ({ type: 2, nsp: '/collab', data: ['y', docId, new Uint8Array(bytes)], ...(id === undefined ? {} : { id }) });

function decodeAll(frames: Uint8Array[]): Packet[] {
  const decoder = new Decoder();
  const out: Packet[] = [];
  decoder.on('decoded', (p: Packet) => out.push(p));
  for (const f of frames) decoder.add(f);
  return out;
}

describe('one-frame binary parser', () => {
  it('round-trips an event with binary arguments', () => {
    const packet = decodeBinaryPacket(encodeBinaryPacket({ type: 2, nsp: '/collab', data: ['y', 'd1', { nested: new Uint8Array([1, 2]) }, new Uint8Array([3])], id: 7 }));
    expect(packet).toEqual({ type: 2, nsp: '/collab', id: 7, data: ['y', 'd1', { nested: new Uint8Array([1, 2]) }, new Uint8Array([3])] });
  });

  it('gives every packet of a repeated header its own arguments and attachments', () => {
    const [a, b, c] = decodeAll([encodeBinaryPacket(event('d1', [1])), encodeBinaryPacket(event('d1', [2, 2])), encodeBinaryPacket(event('d2', [3]))]);
    expect(a?.data).toEqual(['y', 'd1', new Uint8Array([1])]);
    expect(b?.data).toEqual(['y', 'd1', new Uint8Array([2, 2])]);
    expect(c?.data).toEqual(['y', 'd2', new Uint8Array([3])]);
    // socket.io appends an ack callback to an event's arguments: one packet's must not show up in the next's.
    (a?.data as unknown[]).push(() => undefined);
    expect(b?.data).toHaveLength(3);
    expect(a?.data).not.toBe(b?.data);
  });

  it('remembers only a header that was valid, and still checks attachments against a remembered one', () => {
    const cache: HeaderCache = { bytes: null, header: null };
    const bad = encodeBinaryPacket({ type: 4, nsp: '/collab', data: ['y', new Uint8Array([1])] });
    expect(() => decodeBinaryPacket(bad, cache)).toThrow('not an event or ack packet');
    expect(cache.header).toBeNull();

    const good = encodeBinaryPacket(event('d1', [9]));
    decodeBinaryPacket(good, cache);
    expect(cache.header).not.toBeNull();
    // The same header with its attachment cut off: the header is known, the frame is still refused.
    const headerLength = new DataView(good.buffer).getUint32(4);
    expect(() => decodeBinaryPacket(good.slice(0, 8 + headerLength), cache)).toThrow('attachment index out of range');
    expect(() => decodeBinaryPacket(good.slice(0, good.length - 1), cache)).toThrow('truncated attachment');
  });

  it('the decoder refuses a malformed frame the way socket.io expects (it throws)', () => {
    const frame = encodeBinaryPacket(event('d1', [1]));
    frame[12] = 0x7b; // '{' inside the header's JSON
    expect(() => decodeAll([encodeBinaryPacket(event('d1', [1])), frame])).toThrow(/invalid binary packet/);
  });
});
