// The generated large organisation, as plain rows per table (seed-large.mjs inserts them).
// Deterministic: a seeded PRNG drives every choice; dates are relative to today (UTC).
import { BLOCKED_REASONS, CHECKLIST, FIRST_NAMES, KINDS, LAST_NAMES, MILESTONES, NA_REASONS, NARRATIVES, RACI_ACTIVITIES, REGIONS, SUBJECTS, WAVES } from './words.mjs';

export const SIZES = { programs: 500, managers: 50, contributors: 100, viewers: 5 };
const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  /** weighted choice: [[value, weight], ...] */
  const weighted = (options) => {
    let r = next() * options.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of options) if ((r -= w) < 0) return value;
    return options[options.length - 1][0];
  };
  const sample = (list, n) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  const uuid = () => {
    const hex = Array.from({ length: 16 }, () => Math.floor(next() * 256));
    hex[6] = (hex[6] & 0x0f) | 0x40;
    hex[8] = (hex[8] & 0x3f) | 0x80;
    const h = hex.map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return { next, int, pick, chance, weighted, sample, uuid };
}

const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z').getTime();
const day = (offset) => new Date(today + offset * DAY).toISOString().slice(0, 10);
/** a moment `offset` days from today's midnight, never in the future */
const at = (offset, hour = 10) => new Date(Math.min(Date.now() - 60_000, today + offset * DAY + hour * 3_600_000)).toISOString();
const ascii = (s) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

export function generate({ passwordHash, teams, domain, seed = 20261125 }) {
  const r = prng(seed);
  const out = { user: [], program: [], program_member: [], milestone: [], milestone_dependency: [], baseline: [], baseline_milestone: [], raci_row: [], raci_assignment: [], checklist_template_item: [], wave: [], checklist_item: [], status_update: [], activity: [] };

  // People: program managers own the programs, contributors fill the teams, viewers read everything.
  const names = r.sample(FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => [f, l])), SIZES.managers + SIZES.contributors + SIZES.viewers);
  const people = names.map(([first, last], i) => {
    const person = {
      id: r.uuid(), email: `${ascii(first)}.${ascii(last)}@${domain}`, name: `${first} ${last}`, password_hash: passwordHash,
      org_role: i >= SIZES.managers + SIZES.contributors ? 'viewer' : 'member', active: true, created_at: at(-400), updated_at: at(-400),
    };
    out.user.push(person);
    return person;
  });
  const managers = people.slice(0, SIZES.managers);
  const staff = people.slice(0, SIZES.managers + SIZES.contributors);

  for (let p = 0; p < SIZES.programs; p++) {
    const subject = r.pick(SUBJECTS);
    const status = r.weighted([['active', 73], ['planning', 12], ['on_hold', 7], ['completed', 8]]);
    const owner = r.pick(managers);
    const team = r.chance(0.05) ? null : r.pick(teams);
    const start = status === 'planning' ? r.int(5, 60) : status === 'completed' ? r.int(-500, -250) : r.int(-330, -20);
    const length = status === 'completed' ? r.int(120, 240) : r.int(150, 420);
    const program = {
      id: r.uuid(), key: `${subject.split(/[\s-]+/).map((w) => w[0].toUpperCase()).join('').replace(/[^A-Z]/g, '').slice(0, 3)}${p + 1}`,
      name: `${subject} ${r.pick(KINDS)} — ${r.pick(REGIONS)}`, description: `Generated program ${p + 1} of the large benchmark organisation.`,
      status, owner_id: owner.id, team_id: team?.id ?? null, start_date: day(start), target_date: day(start + length),
      created_at: at(Math.min(start, 0) - 10), updated_at: at(Math.min(start + 30, 0)),
    };
    out.program.push(program);

    const members = [owner, ...r.sample(staff.filter((s) => s !== owner), r.int(2, 7))];
    members.forEach((m, i) => out.program_member.push({ program_id: program.id, user_id: m.id, role: i === 0 ? 'owner' : r.chance(0.6) ? 'editor' : 'viewer', added_at: program.created_at }));

    const milestones = addMilestones(r, out, program, { start, length, status, members });
    addBaselines(r, out, program, milestones, { start, status, owner });
    addRaci(r, out, program, milestones, { members, owner, teams });
    addWaves(r, out, program, milestones, { status, members, teams });
    addUpdates(r, out, program, { status, owner, members });
  }
  // The activity log, oldest first (its ids follow time, as they would have): what every program's
  // writes recorded, so its index and the portfolio's stamps read a log of realistic size.
  out.activity = history(out).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return out;
}

/** One activity entry per write that made the generated plans what they are. */
function history(out) {
  const owners = new Map(out.program.map((p) => [p.id, p.owner_id]));
  const entry = (program_id, at, entity_type, entity_id, action, summary, changes = {}, actor_id = owners.get(program_id)) => ({
    program_id, actor_id, at, entity_type, entity_id, action, summary, changes: JSON.stringify(changes),
  });
  const log = [];
  for (const p of out.program) log.push(entry(p.id, p.created_at, 'program', p.id, 'created', `created ${p.key}`));
  for (const m of out.milestone) {
    log.push(entry(m.program_id, m.created_at, 'milestone', m.id, 'created', `added "${m.title}"`));
    if (m.status !== 'not_started') {
      const at = m.completed_at ?? m.updated_at;
      log.push(entry(m.program_id, at, 'milestone', m.id, 'updated', `"${m.title}": status ${m.status.replace('_', ' ')}`, { status: { before: 'not_started', after: m.status } }, m.owner_id ?? undefined));
    }
  }
  for (const b of out.baseline) log.push(entry(b.program_id, b.created_at, 'baseline', b.id, 'created', `set baseline "${b.label}"`));
  for (const w of out.wave) log.push(entry(w.program_id, w.created_at, 'wave', w.id, 'created', `added wave ${w.name}`));
  for (const i of out.checklist_item) {
    if (i.state !== 'todo') log.push(entry(i.program_id, i.changed_at, 'checklist_item', i.id, 'updated', `"${i.title}": ${i.state.replace('_', ' ')}`, { state: { before: 'todo', after: i.state } }, i.changed_by_id));
  }
  for (const u of out.status_update) log.push(entry(u.program_id, u.created_at, 'status_update', u.id, 'created', `reported ${u.health.replace('_', ' ')}`, { health: { before: null, after: u.health } }, u.author_id));
  return log;
}

function addMilestones(r, out, program, { start, length, status, members }) {
  const made = MILESTONES.map(([title, workstream], position) => {
    const due = Math.round(start + (length * (position + 1)) / MILESTONES.length) + r.int(-5, 5);
    const d = due; // days from today
    let state;
    if (status === 'completed') state = 'done';
    else if (status === 'planning') state = position < 2 && r.chance(0.3) ? 'in_progress' : 'not_started';
    else if (d < -3) state = r.weighted([['done', status === 'on_hold' ? 70 : 88], ['in_progress', 7], ['blocked', status === 'on_hold' ? 23 : 5]]);
    else if (d < 0) state = r.weighted([['done', 60], ['in_progress', 30], ['blocked', 10]]);
    else if (d <= 21) state = r.weighted([['in_progress', 50], ['not_started', 40], ['done', 7], ['blocked', 3]]);
    else state = r.weighted([['not_started', 90], ['in_progress', 8], ['blocked', 2]]);
    const row = {
      id: r.uuid(), program_id: program.id, title, owner_id: r.chance(0.05) ? null : r.pick(members).id,
      start_date: day(Math.max(start, due - r.int(7, 30))), due_date: day(due), status: state, position, workstream,
      completed_at: state === 'done' ? at(due + r.int(-3, 5)) : null, created_at: program.created_at, updated_at: program.updated_at,
      due,
    };
    out.milestone.push(row);
    return row;
  });
  for (let i = 1; i < made.length; i++) {
    if (r.chance(0.6)) out.milestone_dependency.push({ predecessor_id: made[i - 1].id, successor_id: made[i].id, program_id: program.id, created_at: program.created_at });
  }
  return made;
}

/** Most running programs have a baseline (some two); some slipped a little, a few a lot. */
function addBaselines(r, out, program, milestones, { start, status, owner }) {
  if (status === 'planning' || r.chance(0.12)) return;
  const profile = r.weighted([['none', 40], ['mild', 45], ['severe', 15]]);
  const slipOf = () => (profile === 'mild' && r.chance(0.1) ? r.int(1, 10) : profile === 'severe' && r.chance(0.3) ? r.int(5, 40) : 0);
  const latest = milestones.map((m) => ({ m, due: m.due - slipOf() }));
  const history = r.chance(0.3) ? [{ label: 'Kick-off plan', when: start + 3, shift: () => r.int(0, 10) }] : [];
  history.push({ label: 'Plan of record', when: start + 20, shift: () => 0 });
  for (const b of history) {
    const baseline = { id: r.uuid(), program_id: program.id, label: b.label, created_by_id: owner.id, created_at: at(Math.min(b.when, -1)) };
    out.baseline.push(baseline);
    for (const { m, due } of latest) {
      if (r.chance(0.03)) continue; // added after the baseline was set
      const d = due - b.shift();
      out.baseline_milestone.push({ baseline_id: baseline.id, milestone_id: m.id, start_date: m.start_date, due_date: day(d) });
    }
  }
}

/** A row per milestone in most programs; some programs have gaps (no row, no A, or no R). */
function addRaci(r, out, program, milestones, { members, owner, teams }) {
  const gapRate = r.chance(0.65) ? 0 : r.int(5, 25) / 100;
  const rows = milestones.map((m) => ({ milestone_id: m.id, activity: null, position: m.position, owner: m.owner_id }));
  r.sample(RACI_ACTIVITIES, r.int(0, 2)).forEach((activity, i) => rows.push({ milestone_id: null, activity, position: MILESTONES.length + i, owner: owner.id }));
  for (const row of rows) {
    if (row.milestone_id && r.chance(gapRate)) continue; // a milestone nobody was assigned to
    const id = r.uuid();
    out.raci_row.push({ id, program_id: program.id, milestone_id: row.milestone_id, activity: row.activity, position: row.position, created_at: program.created_at });
    const used = new Set();
    const assign = (subject_type, subject_id, letter) => {
      if (used.has(subject_id)) return;
      used.add(subject_id);
      out.raci_assignment.push({ row_id: id, subject_type, subject_id, letter, program_id: program.id });
    };
    const gap = r.chance(gapRate) ? r.pick(['A', 'R']) : null;
    if (gap !== 'A') assign('user', row.owner ?? owner.id, 'A');
    if (gap !== 'R') {
      if (r.chance(0.4)) assign('team', r.pick(teams).id, 'R');
      assign('user', r.pick(members).id, 'R');
    }
    for (let c = r.int(0, 2); c > 0; c--) assign(r.chance(0.5) ? 'team' : 'user', r.chance(0.5) ? r.pick(teams).id : r.pick(members).id, 'C');
    if (r.chance(0.4)) assign('user', r.pick(members).id, 'I');
  }
}

/** Four waves, each with the program's 25-item go-live checklist in states that match the wave. */
function addWaves(r, out, program, milestones, { status, members, teams }) {
  const template = CHECKLIST.map(([title, offset], position) => {
    const item = { id: r.uuid(), program_id: program.id, title, owner_team_id: r.chance(0.8) ? r.pick(teams).id : null, required: r.chance(0.8), due_offset_days: offset, position };
    out.checklist_template_item.push(item);
    return item;
  });
  WAVES.forEach(([name, milestoneIndex], position) => {
    const goLive = milestones[milestoneIndex].due;
    const waveStatus =
      status === 'completed' ? 'live'
      : status === 'planning' ? 'planned'
      : goLive < 0 ? (r.chance(0.04) ? 'rolled_back' : 'live')
      : goLive <= 21 ? 'in_progress'
      : 'planned';
    const wave = {
      id: r.uuid(), program_id: program.id, name, scope: JSON.stringify(r.sample(REGIONS, name === 'GA' ? 1 : r.int(1, 3))),
      planned_go_live: day(goLive), status: waveStatus, position, went_live_at: waveStatus === 'live' ? at(goLive) : null,
      created_at: program.created_at, updated_at: program.updated_at,
    };
    out.wave.push(wave);
    const odds = {
      live: [['done', 90], ['not_applicable', 10]],
      rolled_back: [['done', 70], ['todo', 20], ['blocked', 10]],
      in_progress: [['done', 45], ['todo', 35], ['blocked', 8], ['not_applicable', 12]],
      planned: [['todo', 85], ['done', 10], ['not_applicable', 5]],
    }[waveStatus];
    for (const t of template) {
      const state = r.weighted(odds);
      out.checklist_item.push({
        id: r.uuid(), wave_id: wave.id, program_id: program.id, template_item_id: t.id, title: t.title, owner_team_id: t.owner_team_id, required: t.required,
        due_date: day(goLive + t.due_offset_days), state,
        reason: state === 'blocked' ? r.pick(BLOCKED_REASONS) : state === 'not_applicable' ? r.pick(NA_REASONS) : null,
        changed_by_id: state === 'todo' ? null : r.pick(members).id, changed_at: state === 'todo' ? null : at(Math.min(goLive + t.due_offset_days, -1)),
        position: t.position,
      });
    }
  });
}

/** 0–10 updates over the last 90 days; about a fifth of the programs went quiet (stale). */
function addUpdates(r, out, program, { status, owner, members }) {
  const count = status === 'planning' ? r.int(0, 2) : r.chance(0.05) ? 0 : r.int(1, 10);
  if (!count) return;
  const latest = r.chance(0.2) ? r.int(15, 80) : r.int(0, 13);
  const gaps = Array.from({ length: count - 1 }, () => r.int(3, 14));
  let ago = latest + gaps.reduce((a, b) => a + b, 0);
  while (ago > 90) ago = Math.max(latest, ago - r.int(5, 14));
  let health = r.weighted([['on_track', 70], ['at_risk', 25], ['off_track', 5]]);
  for (let i = 0; i < count; i++) {
    out.status_update.push({
      id: r.uuid(), program_id: program.id, health, narrative: r.pick(NARRATIVES[health]),
      author_id: r.chance(0.8) ? owner.id : r.pick(members).id, created_at: at(-ago, r.int(8, 17)),
    });
    ago = Math.max(latest, ago - (gaps[i] ?? 0));
    health = r.weighted(health === 'on_track' ? [['on_track', 80], ['at_risk', 18], ['off_track', 2]] : health === 'at_risk' ? [['on_track', 35], ['at_risk', 50], ['off_track', 15]] : [['at_risk', 50], ['off_track', 50]]);
  }
}
