import type { Namespace, Socket } from 'socket.io';
import { binaryFrame, textFrame } from './binary-frames';

/** socket.io's EVENT packet type (socket.io-parser PacketType.EVENT). */
const EVENT = 2;
/** ws: WebSocket.OPEN and the sender's DEFAULT state (nothing deflating, nothing queued behind it). */
const WS_OPEN = 1;
const SENDER_DEFAULT = 0;

/** The parts of ws 8 / engine.io 6 / socket.io 4.8 read here (all pinned by the lock file). */
interface RawStream {
  readonly writable: boolean;
  write(chunk: Buffer): boolean;
}
interface WsLike {
  readyState?: number;
  _sender?: { _state?: number; _queue?: unknown[] };
  _extensions?: Record<string, unknown>;
  _socket?: RawStream;
}
interface EngineSocketLike {
  readyState?: string;
  upgrading?: boolean;
  writeBuffer?: unknown[];
  transport?: { name?: string; writable?: boolean; perMessageDeflate?: unknown; socket?: WsLike };
}
interface ClientLike {
  writeToEngine?: (encoded: (string | Uint8Array)[], options: { preEncoded: boolean; wsPreEncodedFrame?: Buffer[] }) => void;
}
interface EncoderLike {
  encode(packet: { type: number; nsp: string; data: unknown[] }): (string | Uint8Array)[];
}

/**
 * The TCP socket under a socket.io socket, when writing one whole WebSocket frame to it now is
 * indistinguishable from sending it through socket.io → engine.io → ws; null when it is not.
 *
 * Order is what matters: a frame written here must come after everything sent before and before
 * everything sent after. Everything those layers send ends up as `write`s on this one stream, in
 * call order, unless one of them is holding something back — so this answers only when none is:
 * engine.io's socket is open, not upgrading, its write buffer is empty and its transport is a
 * writable WebSocket (engine.io sets `writable` false while a write of its own is in flight and
 * buffers behind it); ws is OPEN, its sender is not deflating or queueing, and no extension
 * (per-message deflate) is negotiated; the stream itself still takes writes. Long polling, a
 * socket mid-upgrade, compression or any backlog: null, and the caller takes socket.io's path,
 * which then queues behind that backlog as usual.
 */
export function rawStream(socket: Socket): RawStream | null {
  const conn = socket.conn as unknown as EngineSocketLike;
  if (conn.readyState !== 'open' || conn.upgrading || conn.writeBuffer?.length !== 0) return null;
  const transport = conn.transport;
  if (!transport || transport.name !== 'websocket' || transport.writable !== true || transport.perMessageDeflate) return null;
  const ws = transport.socket;
  if (!ws || ws.readyState !== WS_OPEN) return null;
  const sender = ws._sender;
  if (!sender || sender._state !== SENDER_DEFAULT || sender._queue?.length !== 0) return null;
  if (!ws._extensions || !isEmpty(ws._extensions)) return null;
  const stream = ws._socket;
  return stream?.writable ? stream : null;
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

/**
 * Sends socket.io events on one namespace with the fewest layers per recipient: the event is
 * encoded once, framed as a WebSocket frame once, and written straight to each recipient's TCP
 * socket when that keeps order (see `rawStream`); otherwise it goes through socket.io's own
 * per-socket path with the same pre-built frame, exactly as a socket.io broadcast would.
 *
 * Measured on the collab bench, socket.io's path (the adapter's per-broadcast id set, engine.io's
 * packet object, its flush/drain events and write callback, ws's sendFrame) cost more user CPU per
 * recipient than the write itself. This does what a plain-WebSocket server does: one write.
 *
 * Local sockets only (like `namespace.local`): under the Redis adapter other nodes send to their
 * own sockets, as before. Sockets with "any outgoing" listeners take socket.io's path so those
 * listeners still hear every packet.
 */
export class DirectEmitter {
  constructor(private readonly namespace: Namespace) {}

  /** `namespace.local.to(room).except(except).emit(event, ...args)`. */
  toRoom(room: string, except: string | null, event: string, ...args: unknown[]): void {
    const ids = this.namespace.adapter.rooms.get(room);
    if (!ids || ids.size === 0) return;
    const prepared = this.prepare(event, args);
    if (!prepared) {
      const target = this.namespace.local.to(room);
      (except === null ? target : target.except(except)).emit(event, ...args);
      return;
    }
    for (const id of ids) {
      if (id === except) continue;
      const socket = this.namespace.sockets.get(id);
      if (!socket) continue;
      if (socket.listenersAnyOutgoing().length) {
        socket.emit(event, ...args);
        continue;
      }
      const stream = rawStream(socket);
      if (stream) {
        stream.write(prepared.frame);
        continue;
      }
      const client = socket.client as unknown as ClientLike;
      // What the adapter does for a broadcast: the encoded packet, plus the frame for engine.io's WebSocket to write as is.
      if (typeof client.writeToEngine === 'function') client.writeToEngine(prepared.encoded, { preEncoded: true, wsPreEncodedFrame: [prepared.frame] });
      else socket.emit(event, ...args);
    }
  }

  /** `socket.emit(event, ...args)` for an event without acknowledgement. */
  toSocket(socket: Socket, event: string, ...args: unknown[]): void {
    if (!socket.connected) return;
    const stream = socket.listenersAnyOutgoing().length ? null : rawStream(socket);
    const prepared = stream ? this.prepare(event, args) : null;
    if (stream && prepared) stream.write(prepared.frame);
    else socket.emit(event, ...args);
  }

  private prepare(event: string, args: unknown[]): { encoded: (string | Uint8Array)[]; frame: Buffer } | null {
    const encoder = this.namespace.server.encoder as unknown as EncoderLike;
    const encoded = encoder.encode({ type: EVENT, nsp: this.namespace.name, data: [event, ...args] });
    const [only] = encoded;
    // One engine.io message per event (the one-frame parser for binary, plain text otherwise); an
    // event the parser splits over several frames goes socket.io's way.
    if (encoded.length !== 1 || only === undefined) return null;
    // Engine.IO v4 over WebSocket: a text message is "4" + the packet, a binary one the bytes as they are.
    return { encoded, frame: typeof only === 'string' ? textFrame(`4${only}`) : binaryFrame(only) };
  }
}
