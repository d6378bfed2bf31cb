import { StreamableFile } from '@nestjs/common';
import { csvFile, safeCell, unprotectCell } from './csv';

async function* batches(...rows: Array<Array<Record<string, unknown>>>): AsyncIterable<Array<Record<string, unknown>>> {
  for (const batch of rows) yield batch;
}

async function body(file: StreamableFile): Promise<string> {
  let text = '';
  for await (const chunk of file.getStream()) text += String(chunk);
  return text;
}

describe('csvFile: a streamed CSV download', () => {
  it('writes the header, then every row of every batch in column order, each cell protected and quoted', async () => {
    const file = csvFile(
      'incidents.csv',
      ['name', 'count', 'note'],
      batches(
        [
          { note: 'x', count: 3, name: 'Kent State' },
          { name: '=HYPERLINK("http://x")', count: -1, note: null },
        ],
        [],
        [{ name: 'a,b', count: Number.NaN, extra: 'left out' }],
      ),
    );
    expect(await body(file)).toBe('name,count,note\nKent State,3,x\n"\'=HYPERLINK(""http://x"")",-1,\n"a,b",,\n');
  });

  it('a download with no rows is the header line alone, without a byte-order mark', async () => {
    expect(await body(csvFile('empty.csv', ['a', 'b'], batches()))).toBe('a,b\n');
  });

  it('is sent as UTF-8 CSV, as an attachment under its file name', () => {
    expect(csvFile('reception.csv', ['a'], batches()).getHeaders()).toMatchObject({
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="reception.csv"',
    });
  });

  it('a failing source ends the download with its error instead of leaving it open', async () => {
    async function* failing(): AsyncIterable<Array<Record<string, unknown>>> {
      yield [{ a: 1 }];
      throw new Error('the database went away');
    }
    await expect(body(csvFile('x.csv', ['a'], failing()))).rejects.toThrow('the database went away');
  }, 5000);
});

describe('safeCell and unprotectCell, the edges', () => {
  it('writes false as the text false', () => expect(safeCell(false)).toBe('false'));

  it('drops only a leading apostrophe that protects a formula character', () => {
    expect(unprotectCell('a=b')).toBe('a=b');
    expect(unprotectCell('x-1')).toBe('x-1');
    expect(unprotectCell("'")).toBe("'");
    expect(unprotectCell("''=x")).toBe("''=x");
    expect(unprotectCell("'=x")).toBe('=x');
  });
});
