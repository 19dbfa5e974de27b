import { Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { calendarFeedUrlView, calendarFeedView } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor, Public } from '../auth/decorators';
import { Produces } from '../common/produces';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { CalendarService, type CalendarTokenStatus } from './calendar.service';

const ICS = 'text/calendar; charset=utf-8';

/** The `token` routes come first: `:file` would otherwise match them (and answer 404). */
@ApiTags('calendar')
@Controller('api/v1/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('token')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Whether the caller has a calendar feed (signed in); the feed URL is shown only when made' })
  @ApiOkJson(calendarFeedView)
  status(@CurrentActor() actor: Actor): Promise<CalendarTokenStatus> {
    return this.calendar.status(actor);
  }

  @Post('token')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Make the caller\'s calendar feed, or reset it (signed in); the old URL stops working at once' })
  @ApiCreatedJson(calendarFeedUrlView)
  reset(@CurrentActor() actor: Actor): Promise<{ url: string }> {
    return this.calendar.reset(actor);
  }

  @Delete('token')
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Remove the caller\'s calendar feed (signed in)' })
  remove(@CurrentActor() actor: Actor): Promise<void> {
    return this.calendar.remove(actor);
  }

  @Public()
  @Get(':file')
  @Produces(ICS)
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'A person\'s calendar feed, `<token>.ics` (public: the token is the permission): milestone due dates and wave go-lives of the programs they may read',
  })
  feed(@Param('file') file: string): Promise<string> {
    return this.calendar.feed(file);
  }
}
