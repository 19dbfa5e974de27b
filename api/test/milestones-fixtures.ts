import { expect } from 'vitest';
import type { ChecklistState } from '@tandem/domain';
import { ChecklistItem, Wave } from '../src/rollouts/rollout.entity';
import type { TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, type Agent, type Person, type ProgramBody } from './helpers';

/**
 * Fixtures shared by the milestone test files. Milestones, dependencies and baselines are made
 * through the api; waves and checklist items belong to another area and are made through the ORM,
 * so these files test milestones alone.
 */

export interface Planning {
  admin: Agent;
  /** owner of `program` and `other` */
  pm: Agent;
  editor: Agent;
  viewer: Agent;
  /** a member of the organisation with no role on either program */
  outsider: Agent;
  /** org viewer (leadership): reads everything, writes nothing */
  leader: Agent;
  editorPerson: Person;
  program: ProgramBody;
  other: ProgramBody;
}

export async function setUpPlanning(t: TestApp): Promise<Planning> {
  const [admin, pm, leader] = await Promise.all([t.signIn('admin@demo.tandem'), t.signIn('pm@demo.tandem'), t.signIn('leader@demo.tandem')]);
  const [editorPerson, viewerPerson, outsiderPerson] = await Promise.all([buildPerson(admin), buildPerson(admin), buildPerson(admin)]);
  const [program, other] = [await buildProgram(pm), await buildProgram(pm)];
  for (const [person, role] of [[editorPerson, 'editor'], [viewerPerson, 'viewer']] as const) {
    const res = await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role });
    expect(res.status).toBe(201);
  }
  const [editor, viewer, outsider] = await Promise.all([signInAs(t, editorPerson), signInAs(t, viewerPerson), signInAs(t, outsiderPerson)]);
  return { admin, pm, editor, viewer, outsider, leader, editorPerson, program, other };
}

export interface MilestoneBody {
  id: string;
  programId: string;
  title: string;
  description: string;
  owner: { id: string; name: string } | null;
  startDate: string | null;
  dueDate: string | null;
  status: string;
  position: number;
  workstream: string | null;
  completedAt: string | null;
  baseline: { startDate: string | null; dueDate: string | null } | null;
  slipDays: number | null;
  overdue: boolean;
  checklistItemIds: string[];
  openChecklistItems: number;
  createdAt: string;
  updatedAt: string;
}

export async function buildMilestone(agent: Agent, programKey: string, body: Record<string, unknown> = {}): Promise<MilestoneBody> {
  const res = await agent.post(`/api/v1/programs/${programKey}/milestones`).send({ title: `Milestone ${Math.random().toString(36).slice(2, 8)}`, ...body });
  if (res.status !== 201) throw new Error(`creating a milestone failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MilestoneBody;
}

/** A checklist item in a wave of its own, straight through the ORM. */
export async function buildChecklistItem(t: TestApp, programId: string, title: string, state: ChecklistState = 'todo'): Promise<{ id: string; waveId: string }> {
  const em = t.orm.em.fork();
  const wave = em.create(Wave, { program: programId, name: `Wave for ${title}` });
  const item = em.create(ChecklistItem, { program: programId, wave, title, state });
  await em.flush();
  return { id: item.id, waveId: wave.id };
}

export async function setChecklistState(t: TestApp, itemId: string, state: ChecklistState): Promise<void> {
  await t.orm.em.fork().nativeUpdate(ChecklistItem, { id: itemId }, { state });
}

export interface ActivityBody {
  entityType: string;
  entityId: string | null;
  action: string;
  summary: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

/** The program's activity rows about one entity, newest first. */
export async function activityOf(agent: Agent, programKey: string, entityId: string): Promise<ActivityBody[]> {
  const res = await agent.get(`/api/v1/programs/${programKey}/activity?limit=200`);
  expect(res.status).toBe(200);
  return (res.body.items as ActivityBody[]).filter((a) => a.entityId === entityId);
}

export const NOWHERE = '00000000-0000-4000-8000-000000000000';
