import { z } from 'zod';

/** One reason a request was refused, naming the field as a dotted path ('' for the whole body). */
export interface FieldError {
  field: string;
  reason: string;
}

/** Flattens a zod error into field/reason pairs that a person can act on. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: base ? `${base}.${key}` : key, reason: 'unknown field' });
      }
      continue;
    }
    out.push({ field: base, reason: issue.message });
  }
  return out;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrors(result.error) };
}
