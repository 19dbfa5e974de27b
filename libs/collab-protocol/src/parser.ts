import { Decoder as DefaultDecoder, Encoder as DefaultEncoder, type Packet } from 'socket.io-parser';

/**
 * A socket.io parser that carries an event with binary arguments in ONE binary WebSocket frame.
 * socket.io's default parser sends a text placeholder frame and then one frame per binary
 * attachment — two frames per Yjs message, which measured 2× the CPU per delivered update and
 * made the server collapse under load. Events without binary keep the default text encoding.
 * Both ends must use it: `new Server({ parser })` and `io(url, { parser })`.
 *
 * Frame: "TDB1" | u32 header length | header JSON | (u32 length | bytes) per attachment,
 * where the header is the packet with each binary replaced by { "_b": index }.
 */
const MAGIC = [0x54, 0x44, 0x42, 0x31]; // "TDB1"
const EVENT = 2;
const ACK = 3;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

type Json = unknown;

function isBinary(value: unknown): value is Uint8Array | ArrayBuffer {
  return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

function hasBinary(value: unknown, depth = 0): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (isBinary(value)) return true;
  if (Array.isArray(value)) return value.some((v) => hasBinary(v, depth + 1));
  return Object.values(value as Record<string, unknown>).some((v) => hasBinary(v, depth + 1));
}

function extract(value: unknown, out: Uint8Array[], depth = 0): Json {
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (value instanceof Uint8Array) return { _b: out.push(value) - 1 };
  if (value instanceof ArrayBuffer) return { _b: out.push(new Uint8Array(value)) - 1 };
  if (Array.isArray(value)) return value.map((v) => extract(v, out, depth + 1));
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) copy[k] = extract(v, out, depth + 1);
  return copy;
}

function restore(value: Json, attachments: Uint8Array[], depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = restore(value[i], attachments, depth + 1);
    return copy;
  }
  const record = value as Record<string, Json>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '_b' && typeof record._b === 'number') {
    const found = attachments[record._b];
    if (!found) throw new Error('attachment index out of range');
    return found;
  }
  const copy: Record<string, unknown> = {};
  for (const k of keys) copy[k] = restore(record[k] ?? null, attachments, depth + 1);
  return copy;
}

export function encodeBinaryPacket(packet: Packet): Uint8Array {
  const attachments: Uint8Array[] = [];
  const header = textEncoder.encode(JSON.stringify({ t: packet.type, n: packet.nsp, i: packet.id, d: extract(packet.data, attachments) }));
  const size = 8 + header.length + attachments.reduce((sum, a) => sum + 4 + a.length, 0);
  const frame = new Uint8Array(size);
  const view = new DataView(frame.buffer);
  frame.set(MAGIC, 0);
  view.setUint32(4, header.length);
  frame.set(header, 8);
  let at = 8 + header.length;
  for (const a of attachments) {
    view.setUint32(at, a.length);
    frame.set(a, at + 4);
    at += 4 + a.length;
  }
  return frame;
}

export function isBinaryPacketFrame(chunk: Uint8Array): boolean {
  return chunk.length >= 8 && MAGIC.every((b, i) => chunk[i] === b);
}

interface Header {
  t: number;
  n: string;
  i?: number;
  d: Json;
}

/**
 * The header of the last frame a decoder read. A connection's frames mostly repeat one header
 * (`["y", docId, {_b:0}]` on /collab), so a frame whose header bytes equal the last one's skips
 * UTF-8 decoding, JSON parsing and the shape check — per delivered update the most costly part of
 * this parser. The parsed header is never handed out: `restore` copies it for every packet.
 */
export interface HeaderCache {
  bytes: Uint8Array | null;
  header: Header | null;
}

function sameBytes(a: Uint8Array, frame: Uint8Array, offset: number, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== frame[offset + i]) return false;
  return true;
}

function readUint32(frame: Uint8Array, at: number): number {
  return ((frame[at]! << 24) | (frame[at + 1]! << 16) | (frame[at + 2]! << 8) | frame[at + 3]!) >>> 0;
}

function parseHeader(bytes: Uint8Array): Header {
  const header = JSON.parse(textDecoder.decode(bytes)) as Header;
  if (header === null || typeof header !== 'object' || typeof header.t !== 'number' || typeof header.n !== 'string') throw new Error('malformed header');
  // Only events and acks carry binary; an event's first argument is its name.
  const d = header.d;
  const valid = (header.t === EVENT && Array.isArray(d) && typeof d[0] === 'string') || (header.t === ACK && Array.isArray(d) && typeof header.i === 'number');
  if (!valid) throw new Error('not an event or ack packet');
  return header;
}

export function decodeBinaryPacket(frame: Uint8Array, cache?: HeaderCache): Packet {
  const headerLength = readUint32(frame, 4);
  if (8 + headerLength > frame.length) throw new Error('truncated header');
  let header: Header;
  if (cache?.header && cache.bytes && sameBytes(cache.bytes, frame, 8, headerLength)) {
    header = cache.header;
  } else {
    const headerBytes = frame.subarray(8, 8 + headerLength);
    header = parseHeader(headerBytes);
    if (cache) {
      cache.bytes = headerBytes.slice();
      cache.header = header;
    }
  }
  const attachments: Uint8Array[] = [];
  let at = 8 + headerLength;
  while (at < frame.length) {
    if (at + 4 > frame.length) throw new Error('truncated attachment length');
    const length = readUint32(frame, at);
    if (at + 4 + length > frame.length) throw new Error('truncated attachment');
    attachments.push(frame.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  const packet: Packet = { type: header.t, nsp: header.n, data: restore(header.d, attachments) };
  if (typeof header.i === 'number') packet.id = header.i;
  return packet;
}

export class Encoder {
  private readonly fallback = new DefaultEncoder();
  encode(packet: Packet): (string | Uint8Array)[] {
    return hasBinary(packet.data) ? [encodeBinaryPacket(packet)] : this.fallback.encode(packet);
  }
}

export class Decoder extends DefaultDecoder {
  private readonly headers: HeaderCache = { bytes: null, header: null };

  override add(chunk: unknown): void {
    const bytes = chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : chunk;
    if (bytes instanceof Uint8Array && isBinaryPacketFrame(bytes)) {
      let packet: Packet;
      try {
        packet = decodeBinaryPacket(bytes, this.headers);
      } catch (error) {
        // Same contract as the default decoder: a malformed packet throws, and socket.io closes the connection.
        throw new Error(`invalid binary packet: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.emitReserved('decoded', packet);
      return;
    }
    super.add(chunk);
  }
}

/** Pass as `parser` to socket.io's Server and to socket.io-client's io(). */
export const binaryParser = { Encoder, Decoder };
