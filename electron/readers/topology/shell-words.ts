/** Splits command lines and assignment lists the way sh and systemd do, close enough for reading configs. */

/**
 * The words of one line: whitespace separates, single quotes keep everything, double quotes keep
 * all but backslash escapes, a backslash escapes the next character. A `#` starting a word ends
 * the line. Shell operators (`;`, `&&`, `||`, `|`, `&`) come back as their own words so callers
 * can stop at them.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let at = 0; at < line.length; at += 1) {
    const char = line[at] ?? '';
    if (char === "'") {
      const end = line.indexOf("'", at + 1);
      word += end === -1 ? line.slice(at + 1) : line.slice(at + 1, end);
      at = end === -1 ? line.length : end;
      inWord = true;
    } else if (char === '"') {
      at += 1;
      while (at < line.length && line[at] !== '"') {
        if (line[at] === '\\' && at + 1 < line.length && '"\\$`'.includes(line[at + 1] ?? '')) at += 1;
        word += line[at] ?? '';
        at += 1;
      }
      inWord = true;
    } else if (char === '\\') {
      word += line[at + 1] ?? '';
      at += 1;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (char === '#' && !inWord) {
      break;
    } else if (';&|'.includes(char)) {
      if (inWord) words.push(word);
      const operator = line[at + 1] === char && char !== ';' ? char + char : char;
      words.push(operator);
      at += operator.length - 1;
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Logical lines of a shell script or unit file: a trailing backslash continues onto the next line. */
export function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}
