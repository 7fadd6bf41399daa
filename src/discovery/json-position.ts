/**
 * Locates the first JSON syntax error. Node 20's JSON.parse often reports no position
 * ("Unexpected token '}', ... is not valid JSON"), and people fixing a broken service.json need a line.
 */

/** A 1-based line and column in a text. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Offset of the first syntax error in `text`, or -1 when it is valid JSON. Only called on failure, so clarity beats speed. */
export function findJsonErrorOffset(text: string): number {
  const scanner = new JsonScanner(text);
  try {
    scanner.skipSpace();
    scanner.value(0);
    scanner.skipSpace();
    return scanner.pos < text.length ? scanner.pos : -1;
  } catch (error: unknown) {
    if (error instanceof SyntaxAt) return error.offset;
    throw error;
  }
}

/** Converts an offset into a 1-based line and column. */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/** Deep nesting is legal JSON, but a recursive scanner must not blow the stack on hostile input. */
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonScanner {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) throw new SyntaxAt(this.pos);
    const char = this.text[this.pos];
    if (char === '{') return this.container('}', depth, true);
    if (char === '[') return this.container(']', depth, false);
    if (char === '"') return this.string();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.test(this.text)) throw new SyntaxAt(this.pos);
    this.pos = NUMBER.lastIndex;
  }

  private container(close: string, depth: number, isObject: boolean): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return;
    }
    for (;;) {
      if (isObject) this.member();
      this.value(depth + 1);
      this.skipSpace();
      const char = this.text[this.pos];
      this.pos++;
      if (char === close) return;
      if (char !== ',') throw new SyntaxAt(this.pos - 1);
      this.skipSpace();
    }
  }

  private member(): void {
    if (this.text[this.pos] !== '"') throw new SyntaxAt(this.pos);
    this.string();
    this.skipSpace();
    if (this.text[this.pos] !== ':') throw new SyntaxAt(this.pos);
    this.pos++;
    this.skipSpace();
  }

  private string(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (char === '"') {
        this.pos++;
        return;
      }
      if (char.charCodeAt(0) < 0x20) throw new SyntaxAt(this.pos);
      if (char === '\\') this.escape();
      else this.pos++;
    }
    throw new SyntaxAt(this.pos);
  }

  private escape(): void {
    const next = this.text[this.pos + 1];
    if (next === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) throw new SyntaxAt(this.pos);
      this.pos += 6;
    } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
      this.pos += 2;
    } else {
      throw new SyntaxAt(this.pos);
    }
  }
}
