import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrgRole, ProgramRole, ProgramStatus } from '@tandem/domain';
import { hashPassword } from '../../auth/password';
import { ProgramMember } from '../../programs/program-member.entity';
import { Program } from '../../programs/program.entity';
import { Team } from '../../teams/team.entity';
import { User } from '../../users/user.entity';
import { seedDemoPlanning } from './demo-planning';

/** Demo accounts exist only in demo data; the README says so. */
export const DEMO_PASSWORD = 'demo-password';

const PEOPLE: { email: string; name: string; orgRole: OrgRole }[] = [
  { email: 'admin@demo.tandem', name: 'Ada Admin', orgRole: 'admin' },
  { email: 'pm@demo.tandem', name: 'Priya Manager', orgRole: 'member' },
  { email: 'partner@demo.tandem', name: 'Paolo Partner', orgRole: 'member' },
  { email: 'leader@demo.tandem', name: 'Lena Leader', orgRole: 'viewer' },
  { email: 'qa.lead@demo.tandem', name: 'Quinn QA-Lead', orgRole: 'member' },
  { email: 'wfm.analyst@demo.tandem', name: 'Wei Forecaster', orgRole: 'member' },
];

const TEAMS = ['Support Operations', 'Quality Assurance', 'Workforce Management', 'Product', 'Data', 'Tooling'];

interface DemoProgram {
  key: string;
  name: string;
  team: string;
  status: ProgramStatus;
  description: string;
  start: number;
  target: number;
  members: [email: string, role: ProgramRole][];
}

const PROGRAMS: DemoProgram[] = [
  {
    key: 'QA',
    name: 'QA program rollout',
    team: 'Quality Assurance',
    status: 'active',
    description: 'Roll out the new quality-assurance scorecard and calibration sessions to every support site, pilot in Lisbon first.',
    start: -45,
    target: 120,
    members: [['partner@demo.tandem', 'editor'], ['qa.lead@demo.tandem', 'editor']],
  },
  {
    key: 'WFM',
    name: 'WFM forecasting rollout',
    team: 'Workforce Management',
    status: 'active',
    description: 'Move every site from spreadsheet forecasts to the shared forecasting model, with weekly accuracy reviews.',
    start: -20,
    target: 150,
    members: [['wfm.analyst@demo.tandem', 'editor']],
  },
  {
    key: 'VOU',
    name: 'Voice of the user program',
    team: 'Product',
    status: 'planning',
    description: 'Collect and route customer feedback from every channel to product teams, with a monthly insights review.',
    start: 10,
    target: 200,
    members: [['qa.lead@demo.tandem', 'viewer']],
  },
  {
    key: 'KB',
    name: 'Knowledge base migration',
    team: 'Tooling',
    status: 'on_hold',
    description: 'Consolidate the three support knowledge bases into one, with ownership per article.',
    start: -90,
    target: 30,
    members: [],
  },
];

function dayOffset(days: number): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Seeds the demo organisation, in one transaction. Only call it on an empty database. */
export async function seedDemo(em: EntityManager): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await em.transactional(async (tx) => {
    const people = new Map(PEOPLE.map((p) => [p.email, tx.create(User, { ...p, passwordHash })]));
    const teams = new Map(TEAMS.map((name) => [name, tx.create(Team, { name })]));
    const pm = people.get('pm@demo.tandem')!;
    const programs = new Map<string, Program>();
    for (const p of PROGRAMS) {
      const program = tx.create(Program, {
        key: p.key,
        name: p.name,
        description: p.description,
        status: p.status,
        owner: pm,
        team: teams.get(p.team)!,
        startDate: dayOffset(p.start),
        targetDate: dayOffset(p.target),
      });
      tx.create(ProgramMember, { program, user: pm, role: 'owner' });
      for (const [email, role] of p.members) tx.create(ProgramMember, { program, user: people.get(email)!, role });
      programs.set(p.key, program);
    }
    await seedDemoPlanning(tx, { programs, people, teams });
  });
}
