/**
 * The level table: structlog's numeric levels plus `trace`, and the aliases
 * that pino and Fastify users write.
 */

/** Canonical level names, lowest first. */
export type LevelName = "trace" | "debug" | "info" | "warning" | "error" | "critical";

/**
 * A level where one is configured or asked about: a name (any case), or a
 * number. The known names autocomplete; other strings type-check and are
 * checked at run time, where an unknown name is an error that lists the valid ones.
 */
export type LevelInput =
  | LevelName
  | "notset"
  | "warn"
  | "exception"
  | "fatal"
  | "silent"
  | "TRACE"
  | "DEBUG"
  | "INFO"
  | "WARNING"
  | "WARN"
  | "ERROR"
  | "CRITICAL"
  | "FATAL"
  | number
  | (string & {});

/** structlog's (and Python logging's) numbers; `trace` sits below `debug`. */
export const LEVELS: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 5,
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
});

/** Above every level: nothing is logged. */
export const SILENT = Number.POSITIVE_INFINITY;

const ALIASES: Readonly<Record<string, number>> = Object.freeze({
  ...LEVELS,
  notset: 0,
  warn: LEVELS.warning,
  exception: LEVELS.error,
  fatal: LEVELS.critical,
  silent: SILENT,
});

/**
 * The logging methods and the level each logs at: the one place the method
 * list is declared. The logger interfaces, the bound logger's prototype and
 * the level filters are all built from it.
 */
const METHODS = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warning: "warning",
  warn: "warning",
  error: "error",
  exception: "error",
  critical: "critical",
  fatal: "critical",
} as const satisfies Record<string, LevelName>;

/** The names of the logging methods, as processors see them. */
export type MethodName = keyof typeof METHODS;

/** Every logging method, lowest level first. */
export const LOG_METHODS: readonly MethodName[] = Object.freeze(Object.keys(METHODS) as MethodName[]);

/** The level name that `addLogLevel` writes for each method. */
export const METHOD_TO_LEVEL_NAME: Readonly<Record<string, LevelName>> = Object.freeze({ ...METHODS });

/** The level each logging method logs at. */
export const METHOD_LEVELS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(LOG_METHODS.map((m) => [m, LEVELS[METHODS[m]]])),
);

/**
 * The method that logs at `level`: the method of that exact level, or of the
 * highest level below it (a custom 25 logs with `info`); `trace` below all.
 */
export function methodForLevel(level: number): MethodName {
  let best: MethodName = "trace";
  for (const m of LOG_METHODS) {
    const n = METHOD_LEVELS[m] as number;
    if (n <= level && n > (METHOD_LEVELS[best] as number)) best = m;
  }
  return best;
}

/**
 * Turns a level name or number into its number, or throws an error that says
 * which names are valid. Used at configuration time only.
 *
 * @example
 * levelToNumber("warn"); // 30
 */
export function levelToNumber(level: LevelInput): number {
  if (typeof level === "number") {
    if (Number.isNaN(level)) throw new TypeError('Invalid log level NaN: use a level name such as "info".');
    return level;
  }
  if (typeof level === "string") {
    const n = ALIASES[level.toLowerCase()];
    if (n !== undefined) return n;
  }
  throw new TypeError(`Unknown log level ${JSON.stringify(String(level))}: use one of ${Object.keys(ALIASES).join(", ")}, or a number.`);
}

const PINO_NAMES: ReadonlyArray<readonly [number, string]> = [
  [LEVELS.trace, "trace"],
  [LEVELS.debug, "debug"],
  [LEVELS.info, "info"],
  [LEVELS.warning, "warn"],
  [LEVELS.error, "error"],
  [LEVELS.critical, "fatal"],
];

/** The pino name of a level number, for the pino-compatible `level` property. */
export function pinoLevelName(level: number): string {
  if (level === SILENT) return "silent";
  for (const [n, name] of PINO_NAMES) if (level <= n) return name;
  return "silent";
}
