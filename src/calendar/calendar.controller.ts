import { Controller, Get, Header, Ip, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiParam, ApiProduces, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { NotFoundError } from '../common/errors';
import { IdPipe } from '../common/validation';
import { CalendarService } from './calendar.service';

const ICS = 'text/calendar; charset=utf-8';
const TOKEN_FILE = /^([A-Za-z0-9_-]{16,64})\.ics$/;

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('appearances/:id/ics')
  @ApiBearerAuth()
  @Header('Content-Type', ICS)
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'One appearance as an iCalendar file (stable UID, SEQUENCE rising with each change)' })
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ErrorBody })
  async appearance(@Param('id', new IdPipe()) id: string, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    res.header('Content-Disposition', `attachment; filename="appearance-${id}.ics"`);
    return this.calendar.appearanceIcs(id);
  }

  @Get('calendar/:file')
  @Public()
  @Header('Content-Type', ICS)
  @Header('Cache-Control', 'private, max-age=300')
  @ApiProduces('text/calendar')
  @ApiParam({ name: 'file', description: '<your secret calendar token>.ics — GET /me shows the full URL', example: 'k3Jd8s0-Aq9xYzQ1mN2bV7cR.ics' })
  @ApiOperation({ summary: 'Your personal calendar feed (no sign-in: the secret URL from GET /me is the key)' })
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ErrorBody })
  feed(@Param('file') file: string, @Ip() ip: string): Promise<string> {
    const m = TOKEN_FILE.exec(file);
    if (!m) throw new NotFoundError('Calendar feed', 'for this link');
    return this.calendar.feed(m[1], ip);
  }
}
