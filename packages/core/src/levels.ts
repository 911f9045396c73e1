/**
 * The level table: structlog's numeric levels plus `trace`, and the aliases
 * that pino and Fastify users write.
 */

/** Canonical level names, lowest first. */
export type LevelName = "trace" | "debug" | "info" | "warning" | "error" | "critical";

/** Every level name accepted where a level is configured. */
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
  | number;

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

/** The level each logging method logs at. */
export const METHOD_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  trace: LEVELS.trace,
  debug: LEVELS.debug,
  info: LEVELS.info,
  warning: LEVELS.warning,
  warn: LEVELS.warning,
  error: LEVELS.error,
  exception: LEVELS.error,
  critical: LEVELS.critical,
  fatal: LEVELS.critical,
});

/** The level name that `addLogLevel` writes for each method. */
export const METHOD_TO_LEVEL_NAME: Readonly<Record<string, LevelName>> = Object.freeze({
  trace: "trace",
  debug: "debug",
  info: "info",
  warning: "warning",
  warn: "warning",
  error: "error",
  exception: "error",
  critical: "critical",
  fatal: "critical",
});

/**
 * Turns a level name or number into its number, or throws an error that says
 * which names are valid. Used at configuration time only.
 *
 * @example
 * levelToNumber("warn"); // 30
 */
export function levelToNumber(level: LevelInput | string): number {
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
