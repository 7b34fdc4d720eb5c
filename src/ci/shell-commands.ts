/**
 * Splits a `run:` script into simple commands, each an argv: backslash line
 * continuations are joined, quotes and escapes are honoured, comments are
 * dropped, and `;`, `&&`, `||`, `|`, `&` and newlines end a command. It is
 * not a shell: it reads enough of one to recognise build commands.
 */
export function splitCommands(script: string): string[][] {
  const text = script.replace(/\\\r?\n/g, " ");
  const commands: string[][] = [];
  let argv: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = (): void => {
    if (inWord) argv.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (argv.length > 0) commands.push(argv);
    argv = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end;
      word += text.slice(i + 1, stop);
      inWord = true;
      i = stop;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < text.length && text.charAt(i) !== '"'; i++) {
        if (text.charAt(i) === "\\" && /["\\$`]/.test(text.charAt(i + 1))) i++;
        word += text.charAt(i);
      }
    } else if (c === "\\" && i + 1 < text.length) {
      word += text.charAt(++i);
      inWord = true;
    } else if (c === "#" && !inWord) {
      while (i + 1 < text.length && text.charAt(i + 1) !== "\n") i++;
    } else if (c === "\n" || c === ";" || c === "&" || c === "|") {
      endCommand();
      if ((c === "&" || c === "|") && text.charAt(i + 1) === c) i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}
