import { FileRejectionError } from '../errors.ts';

/** Characters of text looked through for the first line break before giving up (the parser caps records). */
export const LINE_BREAK_LOOKAHEAD = 64 * 1024;

const FIRST_BREAK_OR_QUOTE = /[\r\n"]/;

/** How the first line ends: decided, undecided (more text needed), or a bare CR. */
function firstLineBreak(text: string, final: boolean): 'decided' | 'undecided' | 'cr-only' {
  const match = FIRST_BREAK_OR_QUOTE.exec(text);
  if (!match) return 'undecided';
  // An LF first is decided; so is a quote first: the parser judges quoted line breaks itself.
  if (match[0] !== '\r') return 'decided';
  const next = match.index + 1;
  if (next < text.length) return text.charCodeAt(next) === 10 ? 'decided' : 'cr-only';
  return final ? 'cr-only' : 'undecided';
}

/**
 * Pass decoded text through unchanged unless its first line ends with a bare carriage return: lines broken by
 * CR alone (classic Mac OS, Excel's "CSV (Macintosh)") are refused with CR_ONLY_LINE_BREAKS, instead of the
 * parser's quoting error (or a record-size error once the first "line" grows past the cap). Holds text only
 * until the first line break is seen.
 * @example parseCsv(refuseCrOnlyLineBreaks(decodeStream(body, 'utf-8')))
 */
export async function* refuseCrOnlyLineBreaks(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let pending = '';
  let decided = false;
  for await (const chunk of chunks) {
    if (decided) {
      yield chunk;
      continue;
    }
    pending += chunk;
    const verdict = firstLineBreak(pending, false);
    if (verdict === 'cr-only') throw crOnly();
    if (verdict === 'undecided' && pending.length <= LINE_BREAK_LOOKAHEAD) continue;
    decided = true;
    yield pending;
    pending = '';
  }
  if (decided) return;
  if (firstLineBreak(pending, true) === 'cr-only') throw crOnly();
  if (pending.length > 0) yield pending;
}

function crOnly(): FileRejectionError {
  return new FileRejectionError(
    'CR_ONLY_LINE_BREAKS',
    'Line 1 ends with a bare carriage return (CR without LF), the classic Mac OS line break, as in Excel\'s "CSV (Macintosh)" export. ' +
      'Ask the partner to resend the file with CRLF or LF line breaks.',
    { line: 1 },
  );
}
