/**
 * Parsers never throw on bad data. They return what they could read plus warnings that name
 * the line (1-based) where the problem is, so a truncated or garbled artifact still yields facts.
 */
export interface ParseWarning {
  /** 1-based line number in the parsed text, when the problem is tied to a line. */
  line?: number;
  message: string;
}

export interface ParseResult<T> {
  value: T;
  warnings: ParseWarning[];
}
