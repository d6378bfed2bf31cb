/**
 * The parameter set Forewarn ships with (in force until an admin activates another one): written by
 * `npm run risk:fit -- --campus --ship`, which fits it on the Fall 2024 campus data of
 * data-fixtures/risk-backtest (Crowd Counting Consortium, College Scorecard) and keeps its held-out
 * back-test report beside it.
 */
import shipped from './fitted/shipped.json';
import { parseParams, RiskParams } from './params';

export const SHIPPED_PARAMS: RiskParams = parseParams(shipped.params);
export const SHIPPED_REPORT: unknown = shipped.report;
