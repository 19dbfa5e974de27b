import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binaryFrame } from './binary-frames';

/**
 * A WebSocket server that answers the handshake by hand and then writes exactly the frame under
 * test to the socket; a real client (ws, which socket.io-client uses in Node) must read it back.
 */
describe('binaryFrame', () => {
  let server: Server;
  let payload = new Uint8Array();
  const sockets = new Set<Duplex>();
  beforeAll(async () => {
    server = createServer();
    server.on('upgrade', (req, socket) => {
      sockets.add(socket);
      const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.write(binaryFrame(payload));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const receive = () =>
    new Promise<{ data: Buffer; isBinary: boolean }>((resolve, reject) => {
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
      client.on('message', (data: Buffer, isBinary: boolean) => {
        client.terminate();
        resolve({ data, isBinary });
      });
      client.on('error', reject);
    });

  // Each length class of RFC 6455 §5.2 at its edges: 7-bit, 16-bit and 64-bit payload lengths.
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 300_000])('frames %i bytes as one final, unmasked binary frame a client reads back intact', async (length) => {
    payload = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
    const frame = binaryFrame(payload);
    expect(frame[0]).toBe(0x82);
    expect((frame[1] ?? 0) & 0x80).toBe(0);
    const { data, isBinary } = await receive();
    expect(isBinary).toBe(true);
    expect(Buffer.compare(data, Buffer.from(payload))).toBe(0);
  });
});
