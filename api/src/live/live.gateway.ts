import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import type { Namespace, Socket } from 'socket.io';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { SessionsService } from '../auth/sessions.service';
import { socketActor } from '../auth/socket-auth';
import { LiveEvents } from './live.events';
import { LIVE_NAMESPACE, programRoom, userRoom, type SubscribeAck } from './live.protocol';

type LiveSocket = Socket & { data: { actor?: Actor } };

/**
 * `/live`: a signed-in page subscribes to the programs it shows; the access module decides, and a
 * program the person may not read answers exactly like one that does not exist.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('LiveGateway');
  constructor(
    private readonly orm: MikroORM,
    private readonly sessions: SessionsService,
    private readonly access: AccessService,
    private readonly live: LiveEvents,
  ) {}

  afterInit(namespace: Namespace): void {
    this.live.attach(namespace);
  }

  async handleConnection(socket: LiveSocket): Promise<void> {
    const actor = await RequestContext.create(this.orm.em, () => socketActor(socket, this.sessions));
    if (!actor) {
      socket.emit('unauthorized', { reason: 'sign_in_required' });
      socket.disconnect(true);
      return;
    }
    socket.data.actor = actor;
    await socket.join(userRoom(actor.id));
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const actor = socket.data.actor;
    const programId = typeof body === 'object' && body !== null ? (body as { programId?: unknown }).programId : undefined;
    if (!actor || typeof programId !== 'string' || programId.length > 100) return { ok: false, error: 'invalid' };
    try {
      const { program } = await RequestContext.create(this.orm.em, () => this.access.requireProgram(actor, programId, 'read'));
      await socket.join(programRoom(program.id));
      return { ok: true };
    } catch (error) {
      this.logger.debug(`subscribe refused: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, error: 'not_found' };
    }
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<{ ok: true }> {
    const programId = typeof body === 'object' && body !== null ? (body as { programId?: unknown }).programId : undefined;
    if (typeof programId === 'string') await socket.leave(programRoom(programId));
    return { ok: true };
  }
}
