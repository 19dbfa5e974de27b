import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { expect, it } from 'vitest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { DEMO_PASSWORD } from './helpers';

/**
 * The milestone reads are plain SQL (MilestoneReader, AccessService.requireProgramRead): they must
 * run on the embedded database too, the default when no DATABASE_URL is set. Real: PGlite in a temp
 * DATA_DIR with the demo organisation, the whole app, HTTP through Supertest; the dir is removed.
 */
it('lists, pages, reads one, answers a change and restores a delete on the embedded database (PGlite)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-embedded-ms-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'error', WEB_BUILD_DIR: '' }), { serveWeb: false });
  try {
    const agent = request.agent(app.getHttpServer());
    expect((await agent.post('/api/v1/auth/login').send({ email: 'pm@demo.tandem', password: DEMO_PASSWORD })).status).toBe(200);
    const programs = await agent.get('/api/v1/programs');
    expect(programs.body.items.length).toBeGreaterThan(0);
    for (const p of programs.body.items) {
      const all = await agent.get(`/api/v1/programs/${p.key}/milestones?limit=200`);
      expect(all.status).toBe(200);
      const paged: unknown[] = [];
      let cursor: string | null = null;
      do {
        const res = await agent.get(`/api/v1/programs/${p.key}/milestones?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        paged.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.body.items);
      expect(all.body.items.every((m: { programId: string }) => m.programId === p.id)).toBe(true);
      for (const m of all.body.items.slice(0, 3)) expect((await agent.get(`/api/v1/milestones/${m.id}`)).body).toEqual(m);
    }
    const first = (await agent.get(`/api/v1/programs/${programs.body.items[0].key}/milestones`)).body.items[0];
    const patched = await agent.patch(`/api/v1/milestones/${first.id}`).send({ title: 'Renamed on PGlite' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...first, title: 'Renamed on PGlite', updatedAt: patched.body.updatedAt });
    // Delete and restore keep and put back rows as JSON (to_jsonb, jsonb_populate_record): PGlite too.
    const raci = async () => (await agent.get(`/api/v1/programs/${programs.body.items[0].key}/raci`)).body;
    const raciBefore = await raci();
    expect((await agent.delete(`/api/v1/milestones/${first.id}`)).status).toBe(204);
    const restored = await agent.post(`/api/v1/milestones/${first.id}/restore`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toEqual({ milestone: { ...patched.body, updatedAt: restored.body.milestone.updatedAt }, leftOut: [] });
    expect(await raci()).toEqual(raciBefore);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
