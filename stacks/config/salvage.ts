// One round of errors: zod skips an object's refinements as soon as any of its fields has a type or
// enum error, so a user who fixed one message would meet the cross-field ones next. Every
// cross-field check here runs with ALWAYS, on the value as far as it parsed, and reads each field
// through `valid` (the field only when it is valid on its own), so it never reports a problem that
// is only the echo of another field's error.
import { z } from "zod";

/** Refinement option: run even when other fields of the same object failed. */
export const ALWAYS = { when: () => true };

/** `value` parsed by `schema`, or undefined when it does not parse. */
export function valid<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** A field of something that should be an object but may be anything. */
export function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === "object" && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined;
}

/** The items of something that should be a list but may be anything. */
export function items(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The entries of something that should be a map but may be anything. */
export function entries(v: unknown): [string, unknown][] {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : [];
}

/** A string field, or undefined. */
export function text(o: unknown, key: string): string | undefined {
  const v = field(o, key);
  return typeof v === "string" ? v : undefined;
}

export type Issue = (path: PropertyKey[], message: string) => void;

/** An `issue(path, message)` reporter bound to a refinement context. */
export function reporter(ctx: z.RefinementCtx): Issue {
  return (path, message) => ctx.addIssue({ code: "custom", path, message });
}
