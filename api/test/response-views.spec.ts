import * as views from '@tandem/domain';
import type { DependencyViolation } from '@tandem/domain';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ActivityView } from '../src/activity/activity.controller';
import type { Actor } from '../src/auth/auth.types';
import type { CalendarTokenStatus } from '../src/calendar/calendar.service';
import type { DocView } from '../src/docs/doc.view';
import type { ConvertResult } from '../src/docs/retro.service';
import type { RestoreResult, VersionPreview, VersionView } from '../src/docs/versions.service';
import type { ImportResult } from '../src/milestones/milestones-csv.service';
import type { BaselineView, DependencyView, MilestoneView } from '../src/milestones/milestone.view';
import type { PortfolioRow } from '../src/portfolio/portfolio.service';
import type { MemberView, ProgramView } from '../src/programs/program.view';
import type { PersonRaciView, RaciMatrixView, RaciRowChangeView } from '../src/raci/raci.view';
import type { StatusReport } from '../src/reports/report.view';
import type { CreatedShareLink, ShareLinkView } from '../src/reports/share-links.service';
import type { ChecklistImportResult } from '../src/rollouts/checklist-csv.service';
import type { RolloutGridView } from '../src/rollouts/rollout-grid.service';
import type { ChecklistItemView, TemplateItemView, WaveView } from '../src/rollouts/rollout.view';
import type { TeamView } from '../src/teams/teams.controller';
import type { TemplateView } from '../src/templates/templates.service';
import type { StatusUpdateView } from '../src/updates/status-update.view';
import type { ProgramSignalsView } from '../src/updates/updates.service';
import type { DeactivationPreview, UserChange, UserView } from '../src/users/user.view';
import type { Readiness } from '../src/health/health.controller';
import type { ApiTokenView, CreatedApiToken } from '../src/tokens/api-tokens.service';

/**
 * `@ApiOkJson` already refuses a handler whose answer does not fit its schema. These checks go the
 * other way: each schema in `@tandem/domain` describes exactly the api's view type, so a field
 * added to a view without its schema (and so missing from the typed client) fails the typecheck.
 */
type Out<S extends z.ZodType> = Flat<z.output<S>>;
/** The same shape written out: `Completion & { waveId }` and `{ closed, …, waveId }` compare equal. */
type Flat<T> = T extends readonly (infer U)[] ? Flat<U>[] : T extends object ? { [K in keyof T]: Flat<T[K]> } : T;

describe('response views', () => {
  it('describe exactly what the api sends', () => {
    expectTypeOf<Out<typeof views.meView>>().toEqualTypeOf<Flat<Actor>>();
    expectTypeOf<Out<typeof views.userView>>().toEqualTypeOf<Flat<UserView>>();
    expectTypeOf<Out<typeof views.userChangeView>>().toEqualTypeOf<Flat<UserChange>>();
    expectTypeOf<Out<typeof views.deactivationPreviewView>>().toEqualTypeOf<Flat<DeactivationPreview>>();
    expectTypeOf<Out<typeof views.teamView>>().toEqualTypeOf<Flat<TeamView>>();
    expectTypeOf<Out<typeof views.programView>>().toEqualTypeOf<Flat<ProgramView>>();
    expectTypeOf<Out<typeof views.memberView>>().toEqualTypeOf<Flat<MemberView>>();
    expectTypeOf<Out<typeof views.activityView>>().toEqualTypeOf<Flat<ActivityView>>();
    expectTypeOf<Out<typeof views.programTemplateView>>().toEqualTypeOf<Flat<TemplateView>>();
    expectTypeOf<Out<typeof views.calendarFeedView>>().toEqualTypeOf<Flat<CalendarTokenStatus>>();
    expectTypeOf<Out<typeof views.milestoneView>>().toEqualTypeOf<Flat<MilestoneView>>();
    expectTypeOf<Out<typeof views.baselineView>>().toEqualTypeOf<Flat<BaselineView>>();
    expectTypeOf<Out<typeof views.dependencyView>>().toEqualTypeOf<Flat<DependencyView>>();
    expectTypeOf<Out<typeof views.dependencyViolationView>>().toEqualTypeOf<Flat<DependencyViolation>>();
    expectTypeOf<Out<typeof views.importResultView>>().toEqualTypeOf<Flat<ImportResult>>();
    expectTypeOf<Out<typeof views.importResultView>>().toEqualTypeOf<Flat<ChecklistImportResult>>();
    expectTypeOf<Out<typeof views.raciMatrixView>>().toEqualTypeOf<Flat<RaciMatrixView>>();
    expectTypeOf<Out<typeof views.raciRowChangeView>>().toEqualTypeOf<Flat<RaciRowChangeView>>();
    expectTypeOf<Out<typeof views.personRaciView>>().toEqualTypeOf<Flat<PersonRaciView>>();
    expectTypeOf<Out<typeof views.waveView>>().toEqualTypeOf<Flat<WaveView>>();
    expectTypeOf<Out<typeof views.checklistItemView>>().toEqualTypeOf<Flat<ChecklistItemView>>();
    expectTypeOf<Out<typeof views.checklistTemplateItemView>>().toEqualTypeOf<Flat<TemplateItemView>>();
    expectTypeOf<Out<typeof views.rolloutGridView>>().toEqualTypeOf<Flat<RolloutGridView>>();
    expectTypeOf<Out<typeof views.statusUpdateView>>().toEqualTypeOf<Flat<StatusUpdateView>>();
    expectTypeOf<Out<typeof views.healthSignalsView>>().toEqualTypeOf<Flat<ProgramSignalsView>>();
    expectTypeOf<Out<typeof views.portfolioRowView>>().toEqualTypeOf<Flat<PortfolioRow>>();
    expectTypeOf<Out<typeof views.statusReportView>>().toEqualTypeOf<Flat<StatusReport>>();
    expectTypeOf<Out<typeof views.shareLinkView>>().toEqualTypeOf<Flat<ShareLinkView>>();
    expectTypeOf<Out<typeof views.createdShareLinkView>>().toEqualTypeOf<Flat<CreatedShareLink>>();
    expectTypeOf<Out<typeof views.apiTokenView>>().toEqualTypeOf<Flat<ApiTokenView>>();
    expectTypeOf<Out<typeof views.createdApiTokenView>>().toEqualTypeOf<Flat<CreatedApiToken>>();
    expectTypeOf<Out<typeof views.readyView>>().toEqualTypeOf<Flat<Readiness>>();
    expectTypeOf<Out<typeof views.docView>>().toEqualTypeOf<Flat<DocView>>();
    expectTypeOf<Out<typeof views.docVersionView>>().toEqualTypeOf<Flat<VersionView>>();
    expectTypeOf<Out<typeof views.docVersionPreviewView>>().toEqualTypeOf<Flat<VersionPreview>>();
    expectTypeOf<Out<typeof views.docVersionRestoreView>>().toEqualTypeOf<Flat<RestoreResult>>();
    expectTypeOf<Out<typeof views.cardConversionView>>().toEqualTypeOf<Flat<ConvertResult>>();
  });
});
