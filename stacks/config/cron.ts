// A CronJob schedule as the Kubernetes CronJob controller parses it (robfig/cron's standard parser):
// five fields (minute hour day-of-month month day-of-week) or a macro; names for months and
// weekdays; `*`, `?`, ranges, steps and lists. A time zone belongs in `timeZone`, never in the
// schedule (the API server refuses `TZ=` and `CRON_TZ=` there).

const MACROS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
}
const FIELDS: Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: DAYS },
];

function value(text: string, f: Field): number | undefined {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.min;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= f.min && n <= f.max ? n : undefined;
}

/** Why one field (e.g. `*\/15`, `1-5`, `mon,wed`) is not valid, or undefined. */
function fieldProblem(text: string, f: Field): string | undefined {
  for (const part of text.split(",")) {
    const [range, step, extra] = part.split("/");
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `${f.name} "${part}": a step is a whole number after one "/"`;
    if (range === "*" || range === "?") continue;
    const [from, to, more] = range.split("-");
    const lo = value(from, f);
    const hi = to === undefined ? lo : value(to, f);
    if (more !== undefined || lo === undefined || hi === undefined) {
      return `${f.name} "${part}" is not ${f.min}-${f.max}${f.names ? ` or a name (${f.names[0]}, ${f.names[1]}, ...)` : ""}`;
    }
    if (hi < lo) return `${f.name} "${part}": the range runs backwards`;
  }
  return undefined;
}

/** Why a schedule would be refused, or undefined when the CronJob controller accepts it. */
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return "put the time zone in timeZone, not in the schedule (the API server refuses TZ= here)";
  if (s.startsWith("@")) {
    if (MACROS.has(s) || /^@every \d+(ns|us|ms|s|m|h)(\d+(ns|us|ms|s|m|h))*$/.test(s)) return undefined;
    return `"${s}" is not a schedule macro (${[...MACROS].join(", ")})`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), like "30 2 * * *", got ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return problem;
  }
  return undefined;
}
