import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { DomainError } from './errors';
import { ErrorBody } from './error-body';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

/** Fastify's own errors (bad JSON, too large, bad content type) carry statusCode + code. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** Maps every error to the one ErrorBody shape, once, for the whole app. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (typeof (reply as any).status !== 'function') return; // not HTTP
    reply.status(body.status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.fields ? { fields: exception.fields } : {}),
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse() as any;
      if (status === 429) {
        return { status, code: 'RATE_LIMITED', message: 'Too many requests; wait and try again' };
      }
      const message = typeof res === 'string' ? res : Array.isArray(res?.message) ? res.message.join('; ') : (res?.message ?? exception.message);
      // Nest hands Fastify's body-parser errors over as HttpExceptions: keep their specific code.
      if (status === 400 && !res?.code && /not valid JSON|Unexpected token|JSON/.test(message)) {
        return { status, code: 'MALFORMED_JSON', message: `The body is not valid JSON: ${message}` };
      }
      return { status, code: res?.code ?? HTTP_CODES[status] ?? `HTTP_${status}`, message };
    }
    const fe = exception as FastifyLikeError;
    if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const status = fe.statusCode;
      let code = HTTP_CODES[status] ?? `HTTP_${status}`;
      let message = fe.message ?? 'Bad request';
      if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(message)) {
        code = 'MALFORMED_JSON';
        message = `The body is not valid JSON: ${message}`;
      } else if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        message = 'The body is larger than this endpoint accepts';
      } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        message = `Unsupported content type: ${message}`;
      } else if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
        code = 'MALFORMED_JSON';
        message = 'The body is empty but content-type says JSON';
      }
      return { status, code, message };
    }
    const errorId = randomUUID();
    const err = exception as Error;
    this.logger.error({ msg: 'Unhandled error', errorId, name: err?.name, error: err?.message, stack: err?.stack });
    return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side; quote the error id to an operator', errorId };
  }
}
