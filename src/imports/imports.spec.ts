import { safeCell, unprotectCell, wantsCsv } from '../common/csv';
import { headerKey } from './csv-reader';
import { crowdBand } from '../incidents/incident-import-rows';
import { detectInstitutionFormat, scorecardKind } from '../institutions/institution-import.service';
import { zoneForState } from '../institutions/state-zones';

describe('CSV cells: formula-injection protection', () => {
  it.each<[unknown, string | number]>([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTabbed', "'\tTabbed"],
    ['\rCR', "'\rCR"],
    [';cmd', "';cmd"],
    ['|calc', "'|calc"],
    ['\uff1dSUM(A1)', "'\uff1dSUM(A1)"],
    ['\uff0b1', "'\uff0b1"],
    ['\u200b=SUM(A1)', "'\u200b=SUM(A1)"],
    ['\u2060@cmd', "'\u2060@cmd"],
    ['\ufeff-1+2', "'\ufeff-1+2"],
    ['Kent State University', 'Kent State University'],
    ['a;b|c', 'a;b|c'],
    ["'quoted already", "'quoted already"],
    ['a=b', 'a=b'],
    [-5, -5],
    [3, 3],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
    [Number.NaN, ''],
  ])('safeCell(%j) = %j', (input, out) => expect(safeCell(input)).toEqual(out));

  it.each([['=SUM(A1)'], ['-Minus'], ['@x'], [';x'], ['|x'], ['\uff1dx'], ['\u200bx'], ['\u200d=x'], ['plain'], ["'plain"], ['']])('unprotectCell(safeCell(%j)) round-trips', (s) => {
    expect(unprotectCell(String(safeCell(s)))).toBe(s === "'plain" ? "'plain" : s);
  });

  it.each<[string | undefined, boolean]>([
    ['text/csv', true],
    ['text/csv; charset=utf-8', true],
    ['application/json, text/csv;q=0.5', true],
    ['application/csv', true],
    ['application/json', false],
    [undefined, false],
  ])('wantsCsv(%j) = %j', (accept, want) => expect(wantsCsv(accept)).toBe(want));
});

describe('import helpers', () => {
  it.each([
    ['Time Zone', 'time_zone'],
    ['timeZone', 'time_zone'],
    ['\uFEFFname', 'name'],
    ['INSTNM', 'instnm'],
    ['about-recruiting', 'about_recruiting'],
  ])('headerKey(%j) = %j', (h, k) => expect(headerKey(h)).toBe(k));

  it.each<[string, string | null, string | null]>([
    ['OH', 'Kent', 'America/New_York'],
    ['tn', 'Nashville', 'America/Chicago'],
    ['TN', 'Knoxville', 'America/New_York'],
    ['TX', 'El Paso', 'America/Denver'],
    ['TX', 'Austin', 'America/Chicago'],
    ['AZ', null, 'America/Phoenix'],
    ['IN', 'Gary', 'America/Chicago'],
    ['PR', 'San Juan', 'America/Puerto_Rico'],
    ['ZZ', null, null],
  ])('zoneForState(%j, %j) = %j', (state, city, zone) => expect(zoneForState(state, city)).toBe(zone));

  it.each<[string | undefined, string]>([
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['0', 'unknown'],
    ['1', 'under_10'],
    ['9', 'under_10'],
    ['10', '10_49'],
    ['50', '50_99'],
    ['150', '100_499'],
    ['2000', '500_plus'],
    ['about 300', '100_499'],
  ])('crowdBand(%j) = %j', (size, band) => expect(crowdBand(size)).toBe(band));

  it.each<[string[], string]>([
    [['name', 'city', 'state', 'ownership', 'highest_degree'], 'scorecard'],
    [['unitid', 'instnm', 'city', 'stabbr'], 'scorecard'],
    [['name', 'city', 'state', 'ownership'], 'scorecard'],
    [['id', 'name', 'kind', 'city', 'state', 'time_zone'], 'forewarn'],
  ])('detectInstitutionFormat(%j) = %s', (header, format) => expect(detectInstitutionFormat(header)).toBe(format));

  it.each([
    ['Kent State University at Kent', 'graduate', 'university'],
    ['Cuyahoga Community College District', 'associate', 'college'],
    ['Boston College', 'graduate', 'college'],
    ['Tulsa Welding School-Jacksonville', 'certificate', 'college'],
    ['Massachusetts Institute of Technology', 'graduate', 'university'],
  ])('scorecardKind(%j, %j) = %s', (name, degree, kind) => expect(scorecardKind(name, degree)).toBe(kind));
});
