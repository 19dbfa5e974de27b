import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { binaryParser } from '@tandem/collab-protocol';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';

/**
 * socket.io as Tandem runs it: the protocol's one-frame binary parser (both ends must use it),
 * a message size cap a little above the collab limit (larger frames are dropped by the
 * transport before anything is decoded), and, when REDIS_URL is set, the Redis adapter
 * (`attachAdapter`, from the collab relay, which owns the Redis connections) so that room
 * broadcasts, `disconnectSockets`, `fetchSockets` and `serverSideEmit` reach every node. Without
 * it socket.io keeps its in-memory adapter: one node.
 */
export class TandemIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly attachAdapter: ((server: Server) => void) | null = null,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      parser: binaryParser,
      maxHttpBufferSize: this.config.collab.maxMessageBytes + 64 * 1024,
      serveClient: false,
    }) as Server;
    this.attachAdapter?.(server);
    return server;
  }
}
