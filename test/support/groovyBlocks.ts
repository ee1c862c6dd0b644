// A small reader for the block structure of Groovy DSLs (a declarative Jenkinsfile, a Job DSL
// script): `name(args) { ... }` blocks and the statements inside them. Strings and comments are
// skipped, so braces inside them do not count; unbalanced braces or an open string are errors.

export interface Statement {
  statement: string;
  line: number;
}
export interface Block {
  name: string;
  args: string;
  body: Node[];
  line: number;
}
export type Node = Statement | Block;

export const isBlock = (n: Node): n is Block => "body" in n;

export function parseBlocks(text: string): Node[] {
  const root: Block = { name: "", args: "", body: [], line: 1 };
  const stack: Block[] = [root];
  let current = "";
  let startLine = 1;
  let line = 1;
  let parens = 0;
  const flush = () => {
    const statement = current.trim();
    if (statement) stack[stack.length - 1].body.push({ statement, line: startLine });
    current = "";
  };
  const add = (s: string) => {
    if (!current.trim()) startLine = line;
    current += s;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const rest = text.slice(i, i + 3);
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      i--;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new Error(`line ${line}: unterminated comment`);
      line += text.slice(i, end).split("\n").length - 1;
      i = end + 1;
    } else if (c === "'" || c === '"') {
      const quote = rest === c.repeat(3) ? rest : c;
      let j = i + quote.length;
      while (j < text.length && text.slice(j, j + quote.length) !== quote) j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw new Error(`line ${line}: unterminated string`);
      const literal = text.slice(i, j + quote.length);
      add(literal);
      line += literal.split("\n").length - 1;
      i = j + quote.length - 1;
    } else if (c === "(" || c === ")") {
      parens += c === "(" ? 1 : -1;
      add(c);
    } else if (c === "{" && parens === 0) {
      const header = current.trim();
      const m = /^([\w.]+(?:\s+[\w.]+)*?)\s*(\(.*\))?$/s.exec(header);
      const block: Block = { name: m ? m[1] : header, args: m?.[2] ?? "", body: [], line: header ? startLine : line };
      current = "";
      stack[stack.length - 1].body.push(block);
      stack.push(block);
    } else if (c === "}" && parens === 0) {
      flush();
      if (stack.length === 1) throw new Error(`line ${line}: "}" without a block to close`);
      stack.pop();
    } else if ((c === "\n" || c === ";") && parens === 0) {
      flush();
      if (c === "\n") line++;
    } else {
      if (c === "\n") line++;
      add(c);
    }
  }
  flush();
  if (stack.length > 1) throw new Error(`block "${stack[stack.length - 1].name}" (line ${stack[stack.length - 1].line}) is never closed`);
  return root.body;
}

/** The first child block named `name` (its args matched by `args` when given). */
export function child(parent: Block | Node[], name: string, args?: RegExp): Block | undefined {
  const body = Array.isArray(parent) ? parent : parent.body;
  return body.filter(isBlock).find((b) => b.name === name && (!args || args.test(b.args)));
}

/** Every statement under a block, at any depth. */
export function statements(block: Block): string[] {
  return block.body.flatMap((n) => (isBlock(n) ? statements(n) : [n.statement]));
}

/** The text of a single-quoted Groovy literal argument: stage('Checks') -> Checks. */
export function literal(args: string): string | undefined {
  return /^\(\s*'([^']*)'\s*\)$/.exec(args)?.[1];
}
