import { NO_CHECKLIST_ITEMS, plural, raciGapWords, type Health } from '@tandem/domain';
import type { StatusReport } from './report.view';

/**
 * The status report as Markdown. Every piece of user text except the narrative is escaped so a
 * title cannot open a heading, a link, a table cell or an HTML tag; the narrative is the author's
 * own Markdown, so it goes last, quoted line by line between markers: whatever it contains (an
 * unclosed code fence, a heading) stays inside the quote and cannot reshape the report.
 */

/** Characters that carry Markdown/HTML meaning anywhere in a line (CommonMark lets any ASCII punctuation be escaped). */
const INLINE_SPECIAL = /[\\`*_{}[\]()#!|<>~&$]/g;

/** User text on one line, with nothing it contains read as Markdown or HTML. */
export function escapeMarkdown(value: string): string {
  const oneLine = value.replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ').trim();
  const escaped = oneLine.replace(INLINE_SPECIAL, (c) => `\\${c}`);
  // At the start of a line these open a list, a quote or a setext/thematic break.
  return escaped.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

const HEALTH_WORDS: Record<Health, string> = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' };
const day = (iso: string) => iso.slice(0, 10);

export function renderReportMarkdown(report: StatusReport): string {
  const { program } = report;
  const out: string[] = [];
  out.push(`# Status report: ${escapeMarkdown(`[${program.key}] ${program.name}`)}`, '');
  const facts = [`Generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, `Owner: ${escapeMarkdown(program.owner.name)}`];
  if (program.team) facts.push(`Team: ${escapeMarkdown(program.team.name)}`);
  facts.push(`Status: ${program.status.replace('_', ' ')}`);
  if (program.targetDate) facts.push(`Target: ${program.targetDate}`);
  out.push(facts.join(' · '), '');

  out.push('## Health', '');
  out.push(
    report.reported
      ? `- Reported: **${HEALTH_WORDS[report.reported.health]}** on ${day(report.reported.at)} by ${escapeMarkdown(report.reported.author.name)}`
      : '- Reported: no status update yet',
  );
  out.push(`- Computed: **${HEALTH_WORDS[report.computed.health]}**`);
  for (const reason of report.computed.reasons) out.push(`  - ${escapeMarkdown(reason)}`);
  out.push('');

  out.push(report.changesSince ? `## Milestones changed since ${day(report.changesSince)}` : '## Milestones changed', '');
  if (!report.milestoneChanges.length) out.push('No milestone changes.');
  for (const m of report.milestoneChanges) {
    out.push(`- ${m.title === null ? '*(deleted milestone)*' : `**${escapeMarkdown(m.title)}**`}`);
    for (const c of m.changes) out.push(`  - ${day(c.at)}: ${escapeMarkdown(c.summary)}${c.by ? ` (${escapeMarkdown(c.by)})` : ''}`);
  }
  out.push('');

  out.push('## Slips against the baseline', '');
  if (!report.signals.baselined) out.push('No baseline has been set, so slip cannot be measured.');
  else if (!report.slips.length) out.push('No milestone has slipped.');
  else out.push('| Milestone | Baseline due | Now due | Slip (days) |', '| --- | --- | --- | ---: |');
  for (const s of report.slips) out.push(`| ${escapeMarkdown(s.title)} | ${s.baselineDueDate} | ${s.dueDate} | ${s.slipDays} |`);
  out.push('');

  out.push('## Checklist progress', '');
  for (const g of report.signals.overdueGoLives) {
    out.push(`- **Go-live overdue:** ${escapeMarkdown(g.waveName)}, planned ${g.plannedGoLive}, ${plural(g.daysLate, 'day')} late${g.status === 'rolled_back' ? ' (rolled back)' : ''}`);
  }
  if (report.signals.overdueGoLives.length) out.push('');
  if (!report.checklist.length) out.push('No rollout waves yet.');
  else out.push('| Wave | Closed | Total | Done | Overdue items |', '| --- | ---: | ---: | ---: | ---: |');
  for (const w of report.checklist) out.push(`| ${escapeMarkdown(w.waveName)} | ${w.closed} | ${w.total} | ${w.total ? `${w.percent}%` : NO_CHECKLIST_ITEMS.toLowerCase()} | ${w.overdueItems} |`);
  out.push('');

  out.push('## Open RACI gaps', '');
  if (!report.raciGaps.length) out.push('None.');
  else out.push(`${raciGapWords(report.raciGaps.length)}:`, '');
  for (const g of report.raciGaps) out.push(`- ${escapeMarkdown(g.title)} (${g.kind}): ${escapeMarkdown(g.problems.map((p) => p.message).join('; '))}`);
  out.push('');

  out.push('## Latest update', '');
  const latest = report.latestUpdate;
  if (!latest) out.push('No status update yet.');
  else {
    out.push(`**${HEALTH_WORDS[latest.health]}**, ${day(latest.createdAt)}, by ${escapeMarkdown(latest.author.name)}:`, '');
    out.push('<!-- narrative: the author\'s own Markdown, quoted -->', '');
    for (const line of latest.narrative.replace(/\r\n?/g, '\n').split('\n')) out.push(line ? `> ${line}` : '>');
    // The blank line ends the quote, so no lazy continuation line can carry it further.
    out.push('', '<!-- end of narrative -->');
  }
  return `${out.join('\n')}\n`;
}
