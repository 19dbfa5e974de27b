import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { binaryParser } from '@tandem/collab-protocol';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';
import { socketOriginCheck } from '../security/csrf';
import { preEncodeBinaryBroadcasts } from './binary-frames';

/**
 * socket.io as Tandem runs it: the protocol's one-frame binary parser (both ends must use it),
 * a message size cap a little above the collab limit (larger frames are dropped by the
 * transport before anything is decoded), and, when REDIS_URL is set, the Redis adapter
 * (`attachAdapter`, from the collab relay, which owns the Redis connections) so that room
 * broadcasts, `disconnectSockets`, `fetchSockets` and `serverSideEmit` reach every node. Without
 * it socket.io keeps its in-memory adapter: one node. A handshake that carries the session cookie
 * must come from the app's own origin (the CSRF rule, `socketOriginCheck`). Binary broadcasts are
 * framed once for all their recipients (`preEncodeBinaryBroadcasts`).
 */
export class TandemIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly attachAdapter: ((server: Server) => void) | null = null,
    /** hears of the server once it exists (metrics count its connections) */
    private readonly onServer: ((server: Server) => void) | null = null,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      parser: binaryParser,
      maxHttpBufferSize: this.config.collab.maxMessageBytes + 64 * 1024,
      serveClient: false,
      allowRequest: socketOriginCheck(this.config),
    }) as Server;
    this.attachAdapter?.(server);
    // After the adapter is attached: it replaces each namespace's adapter instance.
    preEncodeBinaryBroadcasts(server);
    this.onServer?.(server);
    return server;
  }
}
