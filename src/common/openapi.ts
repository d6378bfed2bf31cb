import { ApiOkResponse } from '@nestjs/swagger';

/** A 200 whose body is a CSV file (a string, not JSON). */
export const ApiCsvResponse = (description = 'CSV (UTF-8, header row first)') => ApiOkResponse({ description, content: { 'text/csv': { schema: { type: 'string' } } } });

/** A 200 whose body is an HTML page (mail links open pages, not JSON). */
export const ApiHtmlResponse = (description: string) => ApiOkResponse({ description, content: { 'text/html': { schema: { type: 'string' } } } });
