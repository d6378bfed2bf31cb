import { columnsOf, csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it.each<[unknown, string]>([
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-0.5, '-0.5'],
    [1 / 3, '0.333333'],
    [Number.NaN, ''],
    [true, 'true'],
    [false, 'false'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    [' padded ', '" padded "'],
    [';cmd', "';cmd"],
    ['|calc', "'|calc"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['\u200b=1+1', "'\u200b=1+1"],
    ['\ufeff@x', "'\ufeff@x"],
  ])('%p → %p', (v, out) => {
    expect(csvCell(v as never)).toBe(out);
  });
});

describe('toCsv', () => {
  it('writes a header and CRLF rows', () => {
    const csv = toCsv(
      [
        { header: 'name', value: (r: { n: string; k: number }) => r.n },
        { header: 'count', value: (r) => r.k },
      ],
      [
        { n: 'Kent State', k: 3 },
        { n: '=cmd', k: -1 },
      ],
    );
    expect(csv).toBe("name,count\r\nKent State,3\r\n'=cmd,-1\r\n");
  });
});

describe('columnsOf', () => {
  it('a column per key, its cells as the values are: text, numbers (rounded), blanks, booleans, nested values as JSON', () => {
    type Row = { name: string | null; share?: number; ok: boolean; extra: unknown };
    const csv = toCsv(columnsOf<Row>(['name', 'share', 'ok', 'extra']), [
      { name: 'Kent State', share: 1 / 3, ok: true, extra: { a: 1 } },
      { name: null, share: -1, ok: false, extra: ['x'] },
      { name: '=cmd', ok: true, extra: null },
    ]);
    expect(csv).toBe('name,share,ok,extra\r\nKent State,0.333333,true,"{""a"":1}"\r\n,-1,false,"[""x""]"\r\n\'=cmd,,true,\r\n');
  });
});
