import { describe, expect, it } from 'vitest';
import { FileRejectionError } from '../errors.ts';
import { LINE_BREAK_LOOKAHEAD, refuseCrOnlyLineBreaks } from './line-breaks.ts';

async function drain(chunks: readonly string[]) {
  async function* text() {
    yield* chunks;
  }
  let out = '';
  try {
    for await (const chunk of refuseCrOnlyLineBreaks(text())) out += chunk;
    return { text: out };
  } catch (error) {
    if (!(error instanceof FileRejectionError)) throw error;
    return { code: error.code, location: error.location, reason: error.message, yielded: out };
  }
}

describe('refuseCrOnlyLineBreaks', () => {
  it.each([
    ['LF line breaks', 'a,b\nc,d\n'],
    ['CRLF line breaks', 'a,b\r\nc,d\r\n'],
    ['a single line without a break', 'a,b'],
    ['a quoted field before the first break (the parser judges it)', '"a\rb",c\r\n'],
    ['a bare CR after the first line (the parser reports it)', 'a,b\nc\rd\n'],
    ['no text', ''],
  ])('passes %s through unchanged', async (_name, text) => {
    // Act / Assess
    expect(await drain([text])).toEqual({ text });
  });

  it.each([
    ['CR line breaks', 'a,b\rc,d\r'],
    ['a one-line file ending in CR', 'a,b\r'],
    ['CR first, CRLF later', 'a,b\rc,d\r\n'],
  ])('refuses %s with CR_ONLY_LINE_BREAKS before yielding any text', async (_name, text) => {
    // Act
    const outcome = await drain([text]);

    // Assess
    expect(outcome).toMatchObject({ code: 'CR_ONLY_LINE_BREAKS', location: { line: 1 }, yielded: '' });
    expect(outcome.reason).toContain('Ask the partner to resend the file with CRLF or LF line breaks');
  });

  it.each(['a,b\rc,d\re\r', 'a,b\r\nc\r\n', 'ab\ncd\n'])(
    'reaches the same verdict wherever %j is split',
    async (text) => {
      // Prepare
      const expected = await drain([text]);

      for (let at = 0; at <= text.length; at += 1) {
        // Act / Assess
        expect(await drain([text.slice(0, at), text.slice(at)])).toEqual(expected);
      }
      expect(await drain([...text])).toEqual(expected);
    },
  );

  it('stops looking after the lookahead, leaving a runaway first line to the parser', async () => {
    // Prepare
    const long = 'x'.repeat(LINE_BREAK_LOOKAHEAD + 1);

    // Act / Assess
    expect(await drain([long, '\rmore'])).toEqual({ text: `${long}\rmore` });
  });
});
