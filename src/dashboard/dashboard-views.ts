import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { PageViews } from '../pages/page-views';

/** The dashboard's views: next to this file (src/ under ts-node/jest, copied by `nest build` beside the compiled code). */
export const DASHBOARD_VIEWS_DIR = join(__dirname, 'views');

/**
 * The dashboard's Handlebars views (src/dashboard/views: the page, the refused filters, sign-in,
 * errors; partials for the header, the filter form and tables), strict and HTML-escaping like the
 * mail-link pages. Only the SVG charts enter as markup: built by svg-charts.ts from escaped inputs.
 */
@Injectable()
export class DashboardViews extends PageViews {
  constructor() {
    super(DASHBOARD_VIEWS_DIR);
  }
}

/** Markup made by this module's own builders (the SVG charts), inserted as it is. */
export const markup = (html: string): Handlebars.SafeString => new Handlebars.SafeString(html);

/** A table cell as the table partial reads it: escaped text, right-aligned when a number, a link when href is set. */
export interface CellView {
  text: string;
  num: boolean;
  href: string | null;
}

/** A cell: text, a number (right-aligned), or a link. */
export type Cell = string | number | null | undefined | { text: string; href: string };

export interface TableView {
  id: string;
  caption: string;
  headers: string[];
  rows: CellView[][];
}

const cellView = (c: Cell): CellView =>
  c !== null && typeof c === 'object' ? { text: c.text, num: false, href: c.href } : { text: c === null || c === undefined ? '—' : String(c), num: typeof c === 'number', href: null };

/**
 * A data table with a caption and column headers (the first cell of a row is its header); the
 * partial puts it in its own focusable scrolling region, so a wide table never widens the page.
 */
export function table(id: string, caption: string, headers: string[], rows: Cell[][]): TableView {
  return { id, caption, headers, rows: rows.map((r) => r.map(cellView)) };
}

export const fmt2 = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(2));
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
