import type { Namespace, Server } from 'socket.io';

interface PacketOptions {
  wsPreEncodedFrame?: Buffer[];
}

/** The part of socket.io-adapter 2.5 (the in-memory and the Redis adapter alike) used here. */
interface EncodingAdapter {
  _encode(packet: unknown, options: PacketOptions): unknown[];
}

/**
 * One WebSocket frame for a broadcast, built once and written as is to every recipient.
 *
 * socket.io's adapter encodes a broadcast packet once, and for a text packet it also builds the
 * WebSocket frame once (`wsPreEncodedFrame`), which engine.io then writes to each socket without
 * going through engine.io-parser and ws framing again. It does not do that for a binary packet,
 * and with the one-frame binary parser every `y` broadcast is one. This adds it: a binary,
 * unmasked, final frame (servers never mask) as ONE buffer, so each recipient costs a single
 * socket write instead of header + payload through cork/writev. engine.io uses the frame only on
 * a WebSocket without per-message deflate; long polling and compression take the usual path.
 */
export function preEncodeBinaryBroadcasts(server: Server): void {
  for (const namespace of server._nsps.values()) patch(namespace);
  server.on('new_namespace', patch);
}

function patch(namespace: Namespace): void {
  const adapter = namespace.adapter as unknown as Partial<EncodingAdapter>;
  const encode = adapter._encode;
  // Pinned socket.io-adapter version; should a future one lack the hook, broadcasts simply stay as they are.
  if (typeof encode !== 'function') return;
  adapter._encode = function (this: EncodingAdapter, packet, options) {
    const encoded = encode.call(this, packet, options);
    const [only] = encoded;
    if (encoded.length === 1 && only instanceof Uint8Array && !options.wsPreEncodedFrame) options.wsPreEncodedFrame = [binaryFrame(only)];
    return encoded;
  };
}

/** RFC 6455 §5.2: FIN + opcode 2 (binary), no mask, 7/16/64-bit payload length, then the payload. */
export function binaryFrame(payload: Uint8Array): Buffer {
  return frame(0x82, payload);
}

/** The same for a text message (FIN + opcode 1), UTF-8 encoded. */
export function textFrame(text: string): Buffer {
  return frame(0x81, Buffer.from(text, 'utf8'));
}

function frame(first: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + length);
  out[0] = first;
  if (length < 126) {
    out[1] = length;
  } else if (length < 0x10000) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    out.writeUInt32BE(length >>> 0, 6);
  }
  out.set(payload, header);
  return out;
}
