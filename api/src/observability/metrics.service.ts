import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Server } from 'socket.io';
import { DocStore } from '../collab/doc-store';
import { RelayService } from '../collab/relay';
import { RoomsService } from '../collab/rooms.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Prometheus metrics, served at /metrics when METRICS_ENABLED is set (and only to
 * `Authorization: Bearer <METRICS_TOKEN>` when a token is set). Each app has its own registry, so
 * several apps in one process (tests) do not collide. Gauges read their value at scrape time from
 * the services that own it; nothing is counted twice.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  private servers: Server[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    rooms: RoomsService,
    store: DocStore,
    relay: RelayService,
  ) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'tandem_http_request_duration_seconds',
      help: 'HTTP requests by route template and status class, from the first byte read to the last byte written',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const servers = () => this.servers;
    new Gauge({
      name: 'tandem_socket_connections',
      help: 'Open socket.io connections on this node, per namespace',
      labelNames: ['namespace'],
      registers,
      collect() {
        this.reset();
        for (const server of servers()) for (const [name, namespace] of server._nsps) this.set({ namespace: name }, namespace.sockets.size);
      },
    });
    new Gauge({
      name: 'tandem_collab_open_rooms',
      help: 'Documents held in memory on this node (open rooms)',
      registers,
      collect() {
        this.set(rooms.openRooms);
      },
    });
    new Gauge({
      name: 'tandem_collab_update_queue_depth',
      help: 'Accepted document updates waiting for the next group-commit write',
      registers,
      collect() {
        this.set(store.log.stats.queueDepth);
      },
    });
    const batchSize = new Histogram({
      name: 'tandem_group_commit_batch_size',
      help: 'Document updates stored per group-commit write',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    const batchDuration = new Histogram({
      name: 'tandem_group_commit_duration_seconds',
      help: 'Time to store one group-commit batch, retries included',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    store.log.observe(({ size, ms }) => {
      batchSize.observe(size);
      batchDuration.observe(ms / 1000);
    });
    if (relay.enabled) {
      const lag = new Histogram({
        name: 'tandem_relay_lag_seconds',
        help: "Publish to receive through Redis on this node's relay connections (a probe every 5 s)",
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers,
      });
      new Gauge({
        name: 'tandem_redis_up',
        help: '1 while every connection to Redis is up, 0 while any is down (edits are still saved)',
        registers,
        collect() {
          this.set(relay.status === 'ok' ? 1 : 0);
        },
      });
      if (config.metrics.enabled) relay.measureLag((seconds) => lag.observe(seconds));
    }
    if (config.metrics.enabled) collectDefaultMetrics({ register: this.registry });
  }

  get enabled(): boolean {
    return this.config.metrics.enabled;
  }

  /** The socket.io server, once the adapter has made it. */
  watchSockets(server: Server): void {
    this.servers.push(server);
  }

  /** Times every request; the route is the template that matched (never the raw path, so ids do not explode the labels). */
  httpTimer(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeLabel(req), status_class: `${Math.floor(res.statusCode / 100)}xx` }));
      next();
    };
  }

  /** GET /metrics: the text exposition format. */
  endpoint(): RequestHandler {
    const token = this.config.metrics.token ? Buffer.from(`Bearer ${this.config.metrics.token}`) : null;
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.path !== '/metrics') return next();
      if (req.method !== 'GET' && req.method !== 'HEAD') return res.status(405).setHeader('Allow', 'GET, HEAD').json({ statusCode: 405, message: 'Method Not Allowed' });
      if (token && !sameSecret(req.get('authorization') ?? '', token)) {
        return res.status(401).setHeader('WWW-Authenticate', 'Bearer').json({ statusCode: 401, message: 'A metrics token is required' });
      }
      this.registry.metrics().then(
        (text) => res.status(200).setHeader('Content-Type', this.registry.contentType).setHeader('Cache-Control', 'no-store').send(text),
        (error: unknown) => next(error),
      );
    };
  }
}

function sameSecret(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** The matched route template (`/api/v1/programs/:program`), or a fixed bucket for everything else. */
function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return route.path;
  if (req.path === '/metrics') return '/metrics';
  return /^\/(api|health)(\/|$)/.test(req.path) ? 'unmatched' : 'web';
}
