import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { binaryParser } from '@tandem/collab-protocol';
import { Server, type Namespace, type Socket as ServerSocket, type ServerOptions } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DirectEmitter, rawStream } from './direct-write';

/**
 * DirectEmitter against a real socket.io server and real clients: what arrives, in what order,
 * and which path carried it (straight to the TCP socket, or socket.io's own).
 */
describe('DirectEmitter', () => {
  let http: HttpServer;
  let server: Server;
  const clients: ClientSocket[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await server?.close();
  });

  async function start(options: Partial<ServerOptions> = {}): Promise<Namespace> {
    http = createServer();
    server = new Server(http, { parser: binaryParser, ...options });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return server.of('/t');
  }

  async function connect(namespace: Namespace, transports: ('websocket' | 'polling')[] = ['websocket']): Promise<{ client: ClientSocket; socket: ServerSocket }> {
    const joined = new Promise<ServerSocket>((resolve) => namespace.once('connection', resolve));
    const client = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}/t`, { transports, parser: binaryParser, forceNew: true });
    clients.push(client);
    const socket = await joined;
    await socket.join('room');
    await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
    return { client, socket };
  }

  function collect(client: ClientSocket, count: number): Promise<unknown[][]> {
    const got: unknown[][] = [];
    return new Promise((resolve) => {
      client.onAny((event: string, ...args: unknown[]) => {
        got.push([event, ...args.map((a) => (a instanceof ArrayBuffer ? [...new Uint8Array(a)] : a instanceof Uint8Array ? [...a] : a))]);
        if (got.length === count) resolve(got);
      });
    });
  }

  it('writes a room broadcast straight to each recipient socket, leaving out the sender', async () => {
    const namespace = await start();
    const a = await connect(namespace);
    const b = await connect(namespace);
    const c = await connect(namespace);
    const engineWrites = [a, b, c].map(({ socket }) => vi.spyOn(socket.conn, 'write'));
    const atB = collect(b.client, 2);
    const atC = collect(c.client, 2);
    let aGot = 0;
    a.client.onAny(() => (aGot += 1));
    const direct = new DirectEmitter(namespace);
    direct.toRoom('room', a.socket.id, 'y', 'doc', Uint8Array.of(1, 2, 3));
    direct.toRoom('room', a.socket.id, 'saved', 'doc', 7);
    for (const got of [await atB, await atC]) expect(got).toEqual([['y', 'doc', [1, 2, 3]], ['saved', 'doc', 7]]);
    expect(aGot).toBe(0);
    for (const spy of engineWrites) expect(spy).not.toHaveBeenCalled();
  });

  it('keeps order with socket.io sends that engine.io is still holding back', async () => {
    const namespace = await start();
    const { client, socket } = await connect(namespace);
    const direct = new DirectEmitter(namespace);
    const n = 60;
    const got = collect(client, n);
    // A plain emit leaves engine.io's transport busy until its write completes, so what follows
    // in the same turn queues in engine.io; a direct write that ignored that would overtake it.
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) socket.emit('m', i, Uint8Array.of(i));
      else if (i % 3 === 1) direct.toRoom('room', null, 'm', i, Uint8Array.of(i));
      else direct.toSocket(socket, 'm', i);
    }
    expect((await got).map(([, i]) => i)).toEqual([...Array(n).keys()]);
  });

  it('answers no raw stream while engine.io has something in flight, and one once it is idle', async () => {
    const namespace = await start();
    const { client, socket } = await connect(namespace);
    expect(rawStream(socket)).not.toBeNull();
    const got = collect(client, 1);
    socket.emit('m', 1);
    expect(rawStream(socket)).toBeNull();
    await got;
    await new Promise((resolve) => setImmediate(resolve));
    expect(rawStream(socket)).not.toBeNull();
  });

  it('takes socket.io’s path under per-message deflate, and for long polling', async () => {
    const namespace = await start({ perMessageDeflate: { threshold: 0 } });
    const ws = await connect(namespace);
    const polling = await connect(namespace, ['polling']);
    expect(rawStream(ws.socket)).toBeNull();
    expect(rawStream(polling.socket)).toBeNull();
    const spies = [ws, polling].map(({ socket }) => vi.spyOn(socket.conn, 'write'));
    const direct = new DirectEmitter(namespace);
    const n = 20;
    const [atWs, atPolling] = [collect(ws.client, n + n / 2), collect(polling.client, n)];
    for (let i = 0; i < n; i++) {
      direct.toRoom('room', null, 'm', i, Uint8Array.of(i, i));
      if (i % 2) direct.toSocket(ws.socket, 'x', i);
    }
    const wsGot = await atWs;
    expect(wsGot.filter(([e]) => e === 'm').map(([, i, b]) => [i, b])).toEqual([...Array(n).keys()].map((i) => [i, [i, i]]));
    expect(wsGot.map(([, i]) => i)).toEqual([...Array(n).keys()].flatMap((i) => (i % 2 ? [i, i] : [i])));
    expect((await atPolling).map(([, i, b]) => [i, b])).toEqual([...Array(n).keys()].map((i) => [i, [i, i]]));
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });

  it('lets "any outgoing" listeners hear every packet', async () => {
    const namespace = await start();
    const { client, socket } = await connect(namespace);
    const heard: unknown[] = [];
    socket.onAnyOutgoing((event: string) => heard.push(event));
    const got = collect(client, 2);
    const direct = new DirectEmitter(namespace);
    direct.toRoom('room', null, 'y', 'doc', Uint8Array.of(1));
    direct.toSocket(socket, 'saved', 'doc', 1);
    await got;
    expect(heard).toEqual(['y', 'saved']);
  });
});
