import ICAL from 'ical.js';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '@tandem/domain';
import { openApiDocument } from '../src/bootstrap';
import { escapeText, foldLine } from '../src/calendar/ics';
import { Milestone } from '../src/milestones/milestone.entity';
import { Program } from '../src/programs/program.entity';
import { Wave } from '../src/rollouts/rollout.entity';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, type Agent, type ProgramBody } from './helpers';

/**
 * The calendar feed, through HTTP, parsed with a real iCalendar parser (ical.js).
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, sessions, Supertest. Milestones and waves belong to other areas and are written through the
 * ORM; the token routes and the feed go through the api. Nothing is mocked.
 */

let t: TestApp;
let admin: Agent;
let pm: Agent;
let partner: Agent;
let program: ProgramBody;
const today = todayUtc();

const TRICKY = 'Go-live 🚀, phase 1; "Lisbon"\nsecond line \\ done';
const LONG = 'Formação das equipas de atendimento 🚀 '.repeat(6).trim();
const ids: Record<string, string> = {};

/** The raw bytes of an answer, so folding can be checked octet by octet. */
const raw = (res: Response) => res.body as Buffer;
function fetchFeed(url: string) {
  return t
    .http()
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  startIsDate: boolean;
  end: string;
  sequence: number;
}

function parse(text: string): { calendar: ICAL.Component; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((e) => {
    const start = e.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = e.getFirstPropertyValue('dtend') as ICAL.Time;
    return {
      uid: String(e.getFirstPropertyValue('uid')),
      summary: String(e.getFirstPropertyValue('summary')),
      start: start.toString(),
      startIsDate: start.isDate,
      end: end.toString(),
      sequence: Number(e.getFirstPropertyValue('sequence')),
    };
  });
  return { calendar, events };
}

async function feedUrl(agent: Agent): Promise<string> {
  const res = await agent.post('/api/v1/calendar/token');
  expect(res.status).toBe(201);
  expect(res.body.url).toMatch(/^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  return res.body.url as string;
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, pm, partner] = await Promise.all([t.signIn('admin@demo.tandem'), t.signIn('pm@demo.tandem'), t.signIn('partner@demo.tandem')]);
  program = await buildProgram(pm);
  const em = t.orm.em.fork();
  const p = em.getReference(Program, program.id);
  const qa = await em.findOneOrFail(Program, { key: 'QA' });
  const wfm = await em.findOneOrFail(Program, { key: 'WFM' });
  const make = (name: string, entity: Milestone | Wave) => ((ids[name] = entity.id), entity);
  make('tricky', em.create(Milestone, { program: p, title: TRICKY, dueDate: addDays(today, 3) }));
  make('long', em.create(Milestone, { program: p, title: LONG, dueDate: addDays(today, 4) }));
  make('undated', em.create(Milestone, { program: p, title: 'No date yet' }));
  make('wave', em.create(Wave, { program: p, name: 'Pilot', plannedGoLive: '2026-12-31' }));
  make('qa', em.create(Milestone, { program: qa, title: 'QA calibration', dueDate: addDays(today, 5) }));
  make('wfm', em.create(Milestone, { program: wfm, title: 'Forecast review', dueDate: addDays(today, 6) }));
  await em.flush();
});

afterAll(async () => {
  await t?.close();
});

describe('the feed token', () => {
  it('needs a session to see, make or remove', async () => {
    expect((await t.http().get('/api/v1/calendar/token')).status).toBe(401);
    expect((await t.http().post('/api/v1/calendar/token')).status).toBe(401);
    expect((await t.http().delete('/api/v1/calendar/token')).status).toBe(401);
  });

  it('says whether a feed exists; the URL is shown only when made', async () => {
    const person = await signInAs(t, await buildPerson(admin));
    expect((await person.get('/api/v1/calendar/token')).body).toEqual({ exists: false, createdAt: null });
    await feedUrl(person);
    const status = await person.get('/api/v1/calendar/token');
    expect(status.body).toEqual({ exists: true, createdAt: expect.any(String) });
    expect(JSON.stringify(status.body)).not.toContain('.ics');
  });

  it('resets: the old URL stops working at once; removing ends the feed', async () => {
    const first = await feedUrl(pm);
    expect((await fetchFeed(first)).status).toBe(200);
    const second = await feedUrl(pm);
    expect(second).not.toBe(first);
    const old = await t.http().get(first);
    expect(old.status).toBe(404);
    expect(old.headers['content-type']).toMatch(/^application\/json/);
    expect((await fetchFeed(second)).status).toBe(200);
    expect((await pm.delete('/api/v1/calendar/token')).status).toBe(204);
    expect((await t.http().get(second)).status).toBe(404);
    expect((await pm.get('/api/v1/calendar/token')).body.exists).toBe(false);
  });

  it('answers 404 to anything that is not a live token', async () => {
    const url = await feedUrl(partner);
    const token = url.slice('/api/v1/calendar/'.length, -'.ics'.length);
    for (const path of [`/api/v1/calendar/${token}`, `/api/v1/calendar/${token}.ICS`, '/api/v1/calendar/nope.ics', `/api/v1/calendar/${'A'.repeat(43)}.ics`, '/api/v1/calendar/.ics']) {
      const res = await t.http().get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not found' });
    }
  });

  it('stops working when its owner is deactivated', async () => {
    const person = await buildPerson(admin);
    const url = await feedUrl(await signInAs(t, person));
    expect((await fetchFeed(url)).status).toBe(200);
    expect((await admin.patch(`/api/v1/users/${person.id}`).send({ active: false })).status).toBe(200);
    expect((await t.http().get(url)).status).toBe(404);
  });
});

describe('GET /calendar/:token.ics', () => {
  let url: string;
  let text: string;
  beforeAll(async () => {
    url = await feedUrl(pm);
    const res = await fetchFeed(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw(res));
  });

  it('is documented as a public text/calendar route', () => {
    const operation = openApiDocument(t.app).paths['/api/v1/calendar/{file}']?.get;
    expect(operation?.summary).toMatch(/public/);
    const ok = operation?.responses?.['200'];
    expect(Object.keys(ok && 'content' in ok ? (ok.content ?? {}) : {})).toEqual(['text/calendar; charset=utf-8']);
  });

  it('is an RFC 5545 calendar with its header properties', () => {
    const { calendar } = parse(text);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Tandem//Program calendar//EN');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Tandem — Priya Manager');
  });

  it('ends every line with CRLF and folds at 75 octets without splitting a character', async () => {
    const bytes = raw(await fetchFeed(url));
    expect(bytes.subarray(-2).toString()).toBe('\r\n');
    const lines = bytes.toString('latin1').split('\r\n').slice(0, -1);
    expect(lines.every((l) => !l.includes('\n') && !l.includes('\r'))).toBe(true);
    for (const line of lines) {
      const octets = Buffer.from(line, 'latin1');
      expect(octets.length).toBeLessThanOrEqual(75);
      // each physical line is valid UTF-8 by itself: no multi-byte sequence was cut in two
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(octets)).not.toThrow();
    }
    expect(text).toMatch(/\r\n SUMMARY|\r\n [^\r]/);
  });

  it('has one all-day event per dated milestone and planned go-live, with stable UIDs', () => {
    const { events } = parse(text);
    const byUid = new Map(events.map((e) => [e.uid, e]));
    expect(byUid.get(`milestone-${ids.tricky}@tandem`)).toMatchObject({
      summary: `[${program.key}] ${TRICKY}`,
      start: addDays(today, 3),
      startIsDate: true,
      end: addDays(today, 4),
    });
    expect(byUid.get(`milestone-${ids.long}@tandem`)!.summary).toBe(`[${program.key}] ${LONG}`);
    expect(byUid.get(`wave-${ids.wave}@tandem`)).toMatchObject({ summary: `[${program.key}] Pilot go-live`, start: '2026-12-31', end: '2027-01-01', startIsDate: true });
    expect(byUid.has(`milestone-${ids.qa}@tandem`)).toBe(true);
    expect(byUid.has(`milestone-${ids.wfm}@tandem`)).toBe(true);
    expect(byUid.has(`milestone-${ids.undated}@tandem`)).toBe(false);
    expect(events.every((e) => e.sequence > 0)).toBe(true);
  });

  it('escapes TEXT values on the wire', () => {
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain(`SUMMARY:[${program.key}] Go-live 🚀\\, phase 1\\; "Lisbon"\\nsecond line \\\\ done\r\n`);
    expect(escapeText('a,b;c\\d\r\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    expect(foldLine('x'.repeat(200)).split('\r\n ').map((l) => l.length)).toEqual([75, 74, 51]);
  });

  it('answers the same UIDs on every fetch, and a higher SEQUENCE after a change', async () => {
    const again = parse(new TextDecoder().decode(raw(await fetchFeed(url)))).events;
    expect(again.map((e) => e.uid).sort()).toEqual(parse(text).events.map((e) => e.uid).sort());
    const before = again.find((e) => e.uid === `milestone-${ids.long}@tandem`)!;
    await new Promise((r) => setTimeout(r, 1100));
    const em = t.orm.em.fork();
    const milestone = await em.findOneOrFail(Milestone, { id: ids.long });
    milestone.dueDate = addDays(today, 9);
    await em.flush();
    const after = parse(new TextDecoder().decode(raw(await fetchFeed(url)))).events.filter((e) => e.uid === `milestone-${ids.long}@tandem`);
    expect(after).toHaveLength(1);
    expect(after[0]!.start).toBe(addDays(today, 9));
    expect(after[0]!.sequence).toBeGreaterThan(before.sequence);
  });

  it('holds only programs the token\'s owner may read, archived ones left out', async () => {
    const partnerFeed = parse(new TextDecoder().decode(raw(await fetchFeed(await feedUrl(partner))))).events;
    // the partner reads QA only (the demo seed may date more of QA's milestones and waves)
    expect(partnerFeed.map((e) => e.uid)).toContain(`milestone-${ids.qa}@tandem`);
    expect(partnerFeed.every((e) => e.summary.startsWith('[QA] '))).toBe(true);
    expect(partnerFeed.map((e) => e.uid)).not.toContain(`milestone-${ids.wfm}@tandem`);
    expect((await pm.post(`/api/v1/programs/${program.key}/archive`)).status).toBe(200);
    const uids = parse(new TextDecoder().decode(raw(await fetchFeed(url)))).events.map((e) => e.uid);
    expect(uids).not.toContain(`milestone-${ids.tricky}@tandem`);
    expect(uids).toContain(`milestone-${ids.qa}@tandem`);
    await pm.post(`/api/v1/programs/${program.key}/restore`);
  });
});
