import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth';
import { seeOther } from './page-reply';

/**
 * The service's address itself (the "Forewarn" link at the foot of every mail): people go to their
 * starting page (/pages sends them to sign in, or on to the page for their role), not to a JSON 404.
 */
@ApiExcludeController()
@Public()
@Controller()
export class HomeController {
  @Get()
  home(@Res() reply: FastifyReply): void {
    seeOther(reply, '/pages');
  }
}
