#!/usr/bin/env node
// A tiny TCP load balancer for the fault and load runs: round-robin per connection over the
// backends, so HTTP keep-alive and WebSocket upgrades pass through untouched (the bytes are
// piped, nothing is parsed). A backend that refuses the connection is skipped for the next one,
// and marked down for `downMs`, so clients of a killed node reconnect to a live one at once —
// what Caddy's or nginx's passive health checks do in infra/.
//
//   node bench/lib/lb.mjs 8080 127.0.0.1:3001 127.0.0.1:3002
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ port?: number, host?: string, backends: string[], downMs?: number }} options
 * @returns {Promise<{ port: number, url: string, stats: Record<string, { connections: number, open: number, failed: number }>, close(): Promise<void> }>}
 */
export function startLb({ port = 0, host = '127.0.0.1', backends, downMs = 1000 }) {
  const targets = backends.map((b) => {
    const [h, p] = b.includes(':') ? b.split(':') : ['127.0.0.1', b];
    return { key: `${h}:${p}`, host: h, port: Number(p), downUntil: 0 };
  });
  const stats = Object.fromEntries(targets.map((t) => [t.key, { connections: 0, open: 0, failed: 0 }]));
  const sockets = new Set();
  let next = 0;

  function pick(tried) {
    const now = Date.now();
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(next + i) % targets.length];
      if (!tried.has(t) && t.downUntil <= now) {
        next = (targets.indexOf(t) + 1) % targets.length;
        return t;
      }
    }
    // Every backend is marked down: try any not tried yet rather than refuse outright.
    return targets.find((t) => !tried.has(t)) ?? null;
  }

  const server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const tried = new Set();
    const attempt = () => {
      const target = pick(tried);
      if (!target) return client.destroy();
      tried.add(target);
      const upstream = createConnection({ host: target.host, port: target.port });
      upstream.setNoDelay(true);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        stats[target.key].connections += 1;
        stats[target.key].open += 1;
        sockets.add(upstream);
        client.setNoDelay(true);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) {
          stats[target.key].failed += 1;
          target.downUntil = Date.now() + downMs;
          if (!client.destroyed) attempt();
        }
      });
      upstream.on('close', () => {
        sockets.delete(upstream);
        if (connected) {
          stats[target.key].open -= 1;
          client.destroy();
        }
      });
      client.on('close', () => upstream.destroy());
    };
    attempt();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        url: `http://${host}:${actual}`,
        stats,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port, ...backends] = process.argv.slice(2);
  if (!port || !backends.length) {
    console.error('usage: node bench/lib/lb.mjs PORT HOST:PORT [HOST:PORT ...]');
    process.exit(2);
  }
  const lb = await startLb({ port: Number(port), backends });
  console.log(`lb listening on ${lb.url} → ${backends.join(', ')}`);
}
