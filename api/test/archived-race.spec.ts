import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProgramChanges } from '../src/activity/program-changes.service';
import { startTestApp, type TestApp } from './harness';

/**
 * Changes racing each other on one program. ProgramChanges decides "archived?" before its
 * transaction; a change that passed that check and then waited (a slow request, a busy
 * database) must still not land on a program archived meanwhile, and a change referring to a
 * row deleted meanwhile is an answer about that row, never a 500. An item added while its wave
 * goes live is decided on the wave as it is once the add holds the program's lock.
 */
describe('changes racing an archive or a delete', () => {
  let t: TestApp;
  let pm: Awaited<ReturnType<TestApp['signIn']>>;
  beforeAll(async () => {
    t = await startTestApp();
    pm = await t.signIn('pm@demo.tandem');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Holds the next ProgramChanges transaction at its start until `release()`. */
  function holdNextChange() {
    const em = (t.app.get(ProgramChanges) as unknown as { em: EntityManager }).em;
    const original = em.transactional.bind(em);
    let arrived!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = vi.spyOn(em, 'transactional').mockImplementationOnce((async (...args: Parameters<EntityManager['transactional']>) => {
      arrived();
      await released;
      return original(...args);
    }) as EntityManager['transactional']);
    return { reached, release: () => (spy.mockRestore(), release()) };
  }

  it('a change that passed the archived check before the program was archived is refused, and writes nothing', async () => {
    const program = (await pm.post('/api/v1/programs').send({ key: 'RACE', name: 'Race' })).body;
    const milestone = (await pm.post(`/api/v1/programs/${program.id}/milestones`).send({ title: 'Before' })).body.id as string;
    const hold = holdNextChange();
    const change = pm.patch(`/api/v1/milestones/${milestone}`).send({ title: 'Landed after the archive' }).then((r) => r);
    await hold.reached;
    // archived while the change waits (only the first transaction is held)
    const archived = await pm.post(`/api/v1/programs/${program.id}/archive`);
    expect(archived.status).toBe(200);
    hold.release();
    const res = await change;
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 409, message: 'RACE is archived: restore the program to change it' });
    expect((await pm.get(`/api/v1/milestones/${milestone}`)).body.title).toBe('Before');
  });

  it('linking a checklist item or setting a RACI cell while its wave or milestone is deleted answers 404 or succeeds, never a 500', async () => {
    const program = (await pm.post('/api/v1/programs').send({ key: 'RACE2', name: 'Race 2' })).body.id as string;
    const me = (await pm.get('/api/v1/auth/me')).body.id as string;
    const statuses = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const milestone = (await pm.post(`/api/v1/programs/${program}/milestones`).send({ title: `M${i}` })).body.id as string;
      const wave = (await pm.post(`/api/v1/programs/${program}/waves`).send({ name: `W${i}` })).body.id as string;
      const item = (await pm.post(`/api/v1/waves/${wave}/checklist`).send({ title: 'Item' })).body.id as string;
      const [link, deleteWave] = await Promise.all([pm.put(`/api/v1/milestones/${milestone}/checklist-items`).send({ itemIds: [item] }), pm.delete(`/api/v1/waves/${wave}`)]);
      const [cell, deleteMilestone] = await Promise.all([
        pm.put(`/api/v1/programs/${program}/raci/cells`).send({ rowId: milestone, subject: { type: 'user', id: me }, letter: 'R' }),
        pm.delete(`/api/v1/milestones/${milestone}`),
      ]);
      statuses.add(`link ${link.status}`).add(`delete wave ${deleteWave.status}`).add(`cell ${cell.status}`).add(`delete milestone ${deleteMilestone.status}`);
      // a link that won makes the milestone wait for the item: the wave is then not deleted with it
      if (deleteWave.status === 409) expect({ link: link.status, milestones: deleteWave.body.milestones }).toEqual({ link: 200, milestones: [{ id: milestone, title: `M${i}` }] });
      // whatever won, nothing points at what is gone
      expect((await pm.get(`/api/v1/programs/${program}/raci`)).status).toBe(200);
    }
    expect([...statuses].filter((s) => !/^(link (200|404)|cell (200|404)|delete wave (204|409)|delete milestone 204)$/.test(s))).toEqual([]);
  });

  it('an item added while its wave goes live waits for the program lock, then is refused (409), and the wave keeps its checklist', async () => {
    const program = (await pm.post('/api/v1/programs').send({ key: 'RACE3', name: 'Race 3' })).body.id as string;
    const wave = (await pm.post(`/api/v1/programs/${program}/waves`).send({ name: 'Pilot' })).body.id as string;
    // Another change to the program, mid-transaction: it holds the program's row, as every change
    // does, and has taken the wave live but not committed yet.
    const other = t.orm.em.fork();
    await other.begin();
    try {
      await other.execute('select id from program where id = ? for no key update', [program]);
      await other.execute(`update wave set status = 'live', went_live_at = now() where id = ?`, [wave]);
      const add = pm.post(`/api/v1/waves/${wave}/checklist`).send({ title: 'Sneaked in' }).then((r) => r);
      // the add has passed its access checks and waits for the program's row
      const waiting = () => t.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      await expect.poll(async () => (await waiting())[0]!.n, { timeout: 10_000 }).toBe(1);
      await other.commit();
      const res = await add;
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 409,
        message: 'Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.',
      });
    } finally {
      if (other.isInTransaction()) await other.rollback();
    }
    expect((await pm.get(`/api/v1/waves/${wave}/checklist`)).body.items).toEqual([]);
  });
});
