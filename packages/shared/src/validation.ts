import type { z } from 'zod';
import { AppError, type ValidationIssue } from './errors.js';

type Source = 'body' | 'query' | 'path';

/** zod issue codes in FastAPI's vocabulary, so clients that switch on `type` keep working. */
function issueType(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'missing' : `${issue.expected}_type`;
    case 'too_small':
      if (issue.origin === 'string') return 'string_too_short';
      if (issue.origin === 'array') return 'too_short';
      return 'greater_than_equal';
    case 'too_big':
      if (issue.origin === 'string') return 'string_too_long';
      if (issue.origin === 'array') return 'too_long';
      return 'less_than_equal';
    case 'invalid_value':
      return issue.values.length === 1 ? 'literal_error' : 'enum';
    case 'invalid_format':
      return 'string_pattern_mismatch';
    case 'invalid_union':
      return 'union_tag_invalid';
    default:
      return 'value_error';
  }
}

export function toValidationIssues(error: z.ZodError, source: Source): ValidationIssue[] {
  return error.issues.map((issue) => ({
    loc: [source, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    msg: issue.input === undefined && issue.code === 'invalid_type' ? 'Field required' : issue.message,
    type: issueType(issue),
  }));
}

/** Parse or throw a 422-shaped AppError naming every offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, source: Source): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw AppError.validation(toValidationIssues(result.error, source));
  return result.data;
}
