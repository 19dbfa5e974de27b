import { describe, expect, it } from 'vitest';
import { createProgramSchema, createUserSchema, listProgramsQuerySchema, loginSchema, updateProgramSchema } from './schemas.js';
import { listUpdatesQuerySchema } from './planning/schemas.js';
import { parseWith } from './validation.js';

describe('createProgramSchema', () => {
  it('accepts a minimal program and fills defaults', () => {
    const r = parseWith(createProgramSchema, { key: 'QA', name: 'QA program rollout' });
    expect(r).toEqual({ ok: true, value: { key: 'QA', name: 'QA program rollout', description: '', status: 'planning' } });
  });

  it('names each bad field with a reason', () => {
    const r = parseWith(createProgramSchema, { key: 'qa rollout', name: '', startDate: '2026-13-01' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['key', 'name', 'startDate']);
    expect(r.errors.find((e) => e.field === 'startDate')?.reason).toBe('must be a date as YYYY-MM-DD');
  });

  it('refuses unknown fields by name', () => {
    const r = parseWith(createProgramSchema, { key: 'QA', name: 'x', owner: 'me' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'owner', reason: 'unknown field' }] });
  });

  it('refuses a target date before the start date', () => {
    const r = parseWith(createProgramSchema, { key: 'QA', name: 'x', startDate: '2026-05-01', targetDate: '2026-04-30' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'targetDate', reason: 'must not be before startDate' }] });
  });

  it('refuses oversized strings and wrong types', () => {
    const r = parseWith(createProgramSchema, { key: 'QA', name: 'x'.repeat(161), description: 42 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['description', 'name']);
  });

  it('does not let a program be created archived', () => {
    expect(parseWith(createProgramSchema, { key: 'QA', name: 'x', status: 'archived' }).ok).toBe(false);
  });
});

describe('updateProgramSchema', () => {
  it('accepts a partial update and clears a date with null', () => {
    expect(parseWith(updateProgramSchema, { targetDate: null })).toEqual({ ok: true, value: { targetDate: null } });
  });
});

describe('users and sign-in', () => {
  it('lower-cases emails so sign-in is case-insensitive', () => {
    expect(parseWith(loginSchema, { email: ' PM@Demo.Tandem ', password: 'x' })).toEqual({
      ok: true,
      value: { email: 'pm@demo.tandem', password: 'x' },
    });
  });

  it('requires a real email and a long enough password for new people', () => {
    const r = parseWith(createUserSchema, { email: 'nope', name: 'A', password: 'short' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['email', 'password']);
  });
});

describe('listProgramsQuerySchema', () => {
  it('coerces query strings and bounds the page size', () => {
    expect(parseWith(listProgramsQuerySchema, { limit: '10' })).toEqual({ ok: true, value: { limit: 10, includeArchived: false } });
    expect(parseWith(listProgramsQuerySchema, { limit: '1000' }).ok).toBe(false);
  });
});

describe('storable text', () => {
  it('refuses NUL and lone surrogates that PostgreSQL cannot store, naming the field', () => {
    for (const name of ['a\u0000b', 'x\ud800', '\udc00y']) {
      const r = parseWith(createProgramSchema, { key: 'QA', name });
      expect(r).toEqual({ ok: false, errors: [{ field: 'name', reason: 'must not contain NUL or malformed characters' }] });
    }
    expect(parseWith(createProgramSchema, { key: 'QA', name: 'emoji 🚀 ok' }).ok).toBe(true);
  });

  it('keeps names and titles to one line: no line breaks, tabs or invisible control characters', () => {
    for (const name of ['Go-live\nprep', 'a\tb', 'bell \u0007', 'del \u007f', 'c1 \u0085']) {
      expect(parseWith(createProgramSchema, { key: 'QA', name })).toEqual({ ok: false, errors: [{ field: 'name', reason: 'must be one line, without control characters' }] });
    }
    // around the text they are trimmed away like spaces; descriptions keep their lines
    expect(parseWith(createProgramSchema, { key: 'QA', name: '\tQA rollout\n', description: 'line one\nline two\tindented' })).toMatchObject({ ok: true, value: { name: 'QA rollout', description: 'line one\nline two\tindented' } });
  });

  it('refuses dates PostgreSQL or people would not take', () => {
    const r = parseWith(createProgramSchema, { key: 'QA', name: 'x', startDate: '0000-01-01' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'startDate', reason: 'must be between 1900-01-01 and 2999-12-31' }] });
  });
});

describe('listUpdatesQuerySchema', () => {
  it('reads `since` as a date (midnight UTC) or a date-time in its time zone', () => {
    expect(parseWith(listUpdatesQuerySchema, { since: '2026-08-01' })).toEqual({ ok: true, value: { limit: 50, since: new Date('2026-08-01T00:00:00Z') } });
    expect(parseWith(listUpdatesQuerySchema, { since: '2026-08-01T09:30:00+02:00', limit: '200' })).toEqual({ ok: true, value: { limit: 200, since: new Date('2026-08-01T07:30:00Z') } });
    expect(parseWith(listUpdatesQuerySchema, {})).toEqual({ ok: true, value: { limit: 50 } });
  });

  it('refuses anything else with one reason on `since`', () => {
    for (const since of ['yesterday', '2026-02-30', '2026-08-01T09:30:00', '0000-01-01', '1700000000000']) {
      const result = parseWith(listUpdatesQuerySchema, { since });
      expect(result.ok ? [] : result.errors, since).toEqual([{ field: 'since', reason: expect.any(String) }]);
    }
  });
});
