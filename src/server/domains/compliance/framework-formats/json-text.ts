import type { FrameworkFormatProblem } from '../framework-model';

/**
 * JSON text to a value, or one problem that says where the text goes wrong. V8's messages give a
 * position only for some mistakes (and quote the text for others), so the position comes from a
 * small scanner that runs only when parsing failed.
 */

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; problem: FrameworkFormatProblem };

export function parseJsonText(text: string): JsonTextResult {
  // Editors on Windows save JSON with a byte order mark, which JSON.parse refuses.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    const reason = error instanceof Error ? cleanMessage(error.message) : 'Invalid JSON';
    const offset = jsonErrorOffset(source);
    if (offset === undefined)
      return { ok: false, problem: { path: '$', message: `The JSON is not valid: ${reason}.` } };
    const { line, column } = lineAndColumn(source, offset);
    return {
      ok: false,
      problem: {
        path: '$',
        message: `The JSON is not valid at line ${line}, column ${column} (position ${offset}): ${reason}.`,
      },
    };
  }
}

/** V8's reason without the position (given better above) or the quoted document. */
function cleanMessage(message: string): string {
  return message
    .replace(/,\s*".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .trim();
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

/**
 * The offset of the first character that makes `text` invalid JSON (RFC 8259), or undefined when
 * it is valid. Iterative, so that deeply nested input cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const closers: string[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  /** Moves past the string at `i`; answers false (with `i` at the fault) when it is malformed. */
  const skipString = (): boolean => {
    i++;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i++;
        return true;
      }
      if (code < 0x20) return false;
      if (code === 92) {
        const next = text[i + 1] ?? '';
        if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else return false;
      } else i++;
    }
    return false;
  };

  for (;;) {
    skipSpace();
    if (state === 'after') {
      if (closers.length === 0) return i < text.length ? i : undefined;
      const char = text[i];
      if (char === ',') {
        i++;
        state = closers.at(-1) === '}' ? 'key' : 'value';
      } else if (char === closers.at(-1)) {
        i++;
        closers.pop();
      } else return i;
      continue;
    }
    if (state === 'key') {
      if (text[i] !== '"' || !skipString()) return i;
      skipSpace();
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
      continue;
    }
    const char = text[i];
    if (char === '{' || char === '[') {
      i++;
      skipSpace();
      const closer = char === '{' ? '}' : ']';
      if (text[i] === closer) {
        i++;
        state = 'after';
      } else {
        closers.push(closer);
        state = char === '{' ? 'key' : 'value';
      }
      continue;
    }
    if (char === '"') {
      if (!skipString()) return i;
      state = 'after';
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    const literal = LITERALS.find((word) => text.startsWith(word, i));
    if (number) i += number[0].length;
    else if (literal) i += literal.length;
    else return i;
    state = 'after';
  }
}
