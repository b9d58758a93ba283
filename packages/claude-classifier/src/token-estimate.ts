/**
 * A tokenizer-free estimate of Claude input tokens, erring high so a budget is rarely overrun.
 * English-like ASCII runs about 3.5-4 characters per token (Claude 4.7+ tokenizers count roughly 30%
 * more than older ones, hence 0.3 per character); CJK scripts are about one token per character;
 * other non-ASCII letters (Cyrillic, Greek, accented Latin, Arabic...) fall in between.
 */
const ASCII_TOKENS_PER_CHAR = 0.3;
const CJK_TOKENS_PER_CHAR = 1.1;
const OTHER_TOKENS_PER_CHAR = 0.55;

function isCjk(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) || // Hiragana, Katakana
    (code >= 0x3400 && code <= 0x9fff) || // CJK ideographs (with extension A)
    (code >= 0xac00 && code <= 0xd7af) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0x20000 && code <= 0x2ffff) // CJK extensions B+
  );
}

export function estimateTokens(text: string): number {
  let ascii = 0;
  let cjk = 0;
  let other = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) ascii++;
    else if (isCjk(code)) cjk++;
    else other++;
  }
  return Math.ceil(ascii * ASCII_TOKENS_PER_CHAR + cjk * CJK_TOKENS_PER_CHAR + other * OTHER_TOKENS_PER_CHAR);
}

/** Average characters per estimated token of `text`, to turn a token allowance back into a cut length. */
export function charsPerToken(text: string): number {
  const tokens = estimateTokens(text);
  return tokens === 0 ? 1 / ASCII_TOKENS_PER_CHAR : text.length / tokens;
}
