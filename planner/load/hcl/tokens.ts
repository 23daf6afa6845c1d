/**
 * Token kinds of HCL native syntax. The lexer is modal (config, quoted string, heredoc, bare
 * template), as hashicorp/hcl's scanner is, so template literal text arrives as its own tokens.
 */
export const enum Tok {
  EOF,
  Newline,
  Ident,
  Number,
  /** `"` opening a quoted template. */
  OQuote,
  CQuote,
  /** Literal text inside a quoted template, escapes not yet decoded. */
  QuotedLit,
  /** Zero-width marker: a quoted string reached the end of its line without a closing `"`. */
  UnclosedQuote,
  /** `<<EOT` or `<<-EOT` (without the newline that must follow). */
  OHeredoc,
  /** The line holding a heredoc's closing marker (without its newline). */
  CHeredoc,
  /** Literal text of a heredoc or bare template: one token per line at most. */
  StringLit,
  /** `${` or `${~`. */
  Interp,
  /** `%{` or `%{~`. */
  Control,
  /** `}` or `~}` closing an interpolation or directive. */
  SeqEnd,
  OBrace,
  CBrace,
  OBrack,
  CBrack,
  OParen,
  CParen,
  Dot,
  Comma,
  Star,
  Slash,
  Percent,
  Plus,
  Minus,
  Equal,
  Lt,
  Gt,
  Bang,
  Question,
  Colon,
  /** `::` between the parts of a namespaced function name (`provider::x::y`). */
  DoubleColon,
  EqualOp,
  NotEqual,
  GtEq,
  LtEq,
  And,
  Or,
  Ellipsis,
  FatArrow,
  /** `/*` without a closing `*\/`: covers the rest of the text. */
  UnclosedComment,
  /** `<<` followed by a name but not directly by a newline. */
  BadHeredoc,
  /** A character that starts no token. */
  Invalid,
}

/** The tokens of one text, as parallel arrays (no object per token). */
export interface TokenStream {
  readonly text: string;
  /** Number of tokens; the last is always EOF. */
  readonly n: number;
  readonly type: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}
