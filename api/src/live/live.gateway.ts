import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import type { Namespace, Socket } from 'socket.io';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { closeAtExpiry } from '../auth/credential-expiry';
import { Credentials } from '../auth/credentials';
import { LiveEvents } from './live.events';
import { readsAllPrograms } from '@tandem/domain';
import { Program } from '../programs/program.entity';
import { ALL_PROGRAMS_ROOM, LIVE_NAMESPACE, portfolioRoom, programRoom, sessionRoom, tokenRoom, userRoom, type PortfolioSubscribeAck, type SubscribeAck } from './live.protocol';

type LiveSocket = Socket & { data: { actor?: Actor; tokenId?: string | null; sessionKey?: string | null; expiresAt?: Date | null } };

/**
 * `/live`: a signed-in page subscribes to the programs it shows; the access module decides, and a
 * program the person may not read answers exactly like one that does not exist.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('LiveGateway');
  constructor(
    private readonly orm: MikroORM,
    private readonly credentials: Credentials,
    private readonly access: AccessService,
    private readonly live: LiveEvents,
  ) {}

  afterInit(namespace: Namespace): void {
    this.live.attach(namespace);
    // Authenticate before the connection completes, so no event can arrive ahead of the session.
    namespace.use((socket: LiveSocket, next) => {
      RequestContext.create(this.orm.em, () => this.credentials.fromSocket(socket))
        .then((caller) => {
          if (!caller) return next(new Error('unauthorized'));
          socket.data.actor = caller.actor;
          socket.data.tokenId = caller.tokenId;
          socket.data.sessionKey = caller.via === 'session' ? caller.key : null;
          socket.data.expiresAt = caller.expiresAt;
          next();
        })
        .catch(next);
    });
  }

  async handleConnection(socket: LiveSocket): Promise<void> {
    // An expired session or token ends the connection as signing out does (see LiveEvents.disconnectSession).
    closeAtExpiry(socket, socket.data.expiresAt ?? null, () => socket.disconnect(false));
    if (socket.data.actor) await socket.join(userRoom(socket.data.actor.id));
    if (socket.data.tokenId) await socket.join(tokenRoom(socket.data.tokenId));
    if (socket.data.sessionKey) await socket.join(sessionRoom(socket.data.sessionKey));
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

  /**
   * The portfolio: every program the person may read, in one query, and programs created or given
   * to them later (`LiveEvents.followProgram`). Archived programs too: the portfolio leaves them out,
   * but it must hear one being restored (and then its changes).
   */
  @SubscribeMessage('subscribe-portfolio')
  async subscribePortfolio(@ConnectedSocket() socket: LiveSocket): Promise<PortfolioSubscribeAck> {
    const actor = socket.data.actor;
    if (!actor) return { ok: false, error: 'invalid' };
    const programs = await RequestContext.create(this.orm.em, () =>
      this.orm.em.find(Program, this.access.readableFilter(actor) ?? {}, { fields: ['id'] }),
    );
    await socket.join([...programs.map((p) => programRoom(p.id)), portfolioRoom(actor.id), ...(readsAllPrograms(actor.orgRole) ? [ALL_PROGRAMS_ROOM] : [])]);
    return { ok: true, programs: programs.length };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<{ ok: true }> {
    const programId = typeof body === 'object' && body !== null ? (body as { programId?: unknown }).programId : undefined;
    if (typeof programId === 'string') await socket.leave(programRoom(programId));
    return { ok: true };
  }
}
