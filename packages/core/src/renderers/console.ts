import { markFactory, markRenderer } from "../brand.js";
import { formatException, noteNoException } from "../exception-format.js";
import { mergeFields } from "../fields.js";
import { capTextLine, resolveMaxLineBytes, resolveMaxStringLength, truncateString } from "../limits.js";
import { checkOptions, type OptionSpec } from "../options.js";
import { isError, toJsonSafe } from "../serialize.js";
import { escapeControl, repr, str } from "../text.js";
import type { EventDict, Renderer } from "../types.js";

/** ANSI styles, as in structlog's `dev` module. */
export const RESET_ALL = "\u001b[0m";
export const BRIGHT = "\u001b[1m";
export const DIM = "\u001b[2m";
export const RED = "\u001b[31m";
export const GREEN = "\u001b[32m";
export const YELLOW = "\u001b[33m";
export const BLUE = "\u001b[34m";
export const MAGENTA = "\u001b[35m";
export const CYAN = "\u001b[36m";
export const RED_BACK = "\u001b[41m";

/** Writes the exception block that follows the line (structlog's `exception_formatter`). */
export type ExceptionFormatter = (error: unknown) => string;

/** Options for {@link consoleRenderer}. */
export interface ConsoleRendererOptions {
  /** Use ANSI colours. Default: on a TTY. `FORCE_COLOR` and `NO_COLOR` override it. */
  readonly colors?: boolean;
  /** Pad the event to this many characters. Default 30. */
  readonly padEventTo?: number;
  /** Alias of `padEventTo`. */
  readonly padEvent?: number;
  /** Pad the level to the longest level name. Default `true`. */
  readonly padLevel?: boolean;
  /** Sort the remaining keys. Default `true`. */
  readonly sortKeys?: boolean;
  /** Quote every string value, not only those with spaces, `=` or quotes. Default `false`. */
  readonly reprNativeStr?: boolean;
  /** Style per level name (ANSI sequences); also sets the level column's width. */
  readonly levelStyles?: Readonly<Record<string, string>>;
  /** Default `"event"`. */
  readonly eventKey?: string;
  /** Default `"timestamp"`. */
  readonly timestampKey?: string;
  /**
   * Formats `exc_info` (an Error). Default: {@link plainTraceback}. The
   * renderer indents every line after the first of what it returns; escaping
   * control characters in it is the formatter's job.
   */
  readonly exceptionFormatter?: ExceptionFormatter;
  /** Strings longer than this are cut. Default 32,768; `Infinity` for no limit. */
  readonly maxStringLength?: number;
  /** The most UTF-8 bytes a line (with its exception block) may take; a longer one is cut, ending `...[line truncated: N more bytes]`. Default 262,144. */
  readonly maxLineBytes?: number;
}

const CONSOLE_OPTIONS: OptionSpec = {
  colors: "boolean",
  padEventTo: "non-negative integer",
  padEvent: "non-negative integer",
  padLevel: "boolean",
  sortKeys: "boolean",
  reprNativeStr: "boolean",
  levelStyles: "object",
  eventKey: "non-empty string",
  timestampKey: "non-empty string",
  exceptionFormatter: "function",
  maxStringLength: "checked by the caller",
  maxLineBytes: "checked by the caller",
};

/** structlog `ConsoleRenderer` options with no equivalent here. */
const CONSOLE_NOTES: Readonly<Record<string, string>> = {
  force_colors: "use colors: true; FORCE_COLOR and NO_COLOR in the environment still win",
  forceColors: "use colors: true; FORCE_COLOR and NO_COLOR in the environment still win",
  columns: "custom columns are not supported; eventKey, timestampKey and levelStyles shape the line",
};

/**
 * Whether colours are on, by precedence: `FORCE_COLOR` (`0`/`false` means
 * off), then `NO_COLOR` (any non-empty value means off), then the `colors`
 * option, then whether stdout is a TTY. This is Node's own precedence.
 */
export function resolveColors(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === "0" || force.toLowerCase() === "false");
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return option ?? process.stdout.isTTY === true;
}

/**
 * structlog's default level styles; with `colors: false`, the same levels
 * with empty styles (they still set the level column's width).
 */
export function defaultLevelStyles(colors = true): Record<string, string> {
  const c = (style: string) => (colors ? style : "");
  return {
    critical: c(RED),
    exception: c(RED),
    error: c(RED),
    warn: c(YELLOW),
    warning: c(YELLOW),
    info: c(GREEN),
    debug: c(GREEN),
    trace: c(BLUE),
    notset: c(RED_BACK),
  };
}

/**
 * The exception block: the stack, its causes and aggregated errors, each line
 * on its own line, control characters escaped.
 */
export const plainTraceback: ExceptionFormatter = (error) => `\n${formatException(error)}`;

const QUOTE_TRIGGERS = /[ \t=\r\n"']/;

function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function pad(s: string, width: number): string {
  const missing = width - codePointLength(s);
  return missing > 0 ? s + " ".repeat(missing) : s;
}

function escapeBlock(text: string): string {
  return text
    .split("\n")
    .map((line) => escapeControl(line))
    .join("\n");
}

/**
 * The block after the line (exception, stack) with every line indented by
 * two spaces (empty lines stay empty): only the log line itself starts at
 * the left margin, so no text inside a block, such as an error message with
 * a newline, can pass for a log line. Multi-line log readers (Filebeat,
 * Fluent Bit) join indented lines to the line above for the same reason.
 */
function indentBlock(block: string): string {
  return block.replace(/\n(?=[^\n])/g, "\n  ");
}

/**
 * structlog's `ConsoleRenderer`: `timestamp [level    ] event    [logger] key=value …`,
 * for development. Values are written in JavaScript notation; newlines and
 * terminal escapes in values and events are escaped. An exception follows on
 * the next lines.
 *
 * @example
 * consoleRenderer({ colors: true, padEventTo: 40 });
 */
export function consoleRenderer(options: ConsoleRendererOptions = {}): Renderer {
  checkOptions("consoleRenderer()", options, CONSOLE_OPTIONS, CONSOLE_NOTES);
  const colors = resolveColors(options.colors);
  const padEventTo = options.padEventTo ?? options.padEvent ?? 30;
  const padLevel = options.padLevel ?? true;
  const sortKeys = options.sortKeys ?? true;
  const reprNativeStr = options.reprNativeStr ?? false;
  const eventKey = options.eventKey ?? "event";
  const timestampKey = options.timestampKey ?? "timestamp";
  const formatExc = options.exceptionFormatter ?? plainTraceback;
  const max = resolveMaxStringLength(options.maxStringLength, "consoleRenderer()");
  const maxLine = resolveMaxLineBytes(options.maxLineBytes, "consoleRenderer()");
  const s = (style: string) => (colors ? style : "");
  const reset = s(RESET_ALL);
  const bright = s(BRIGHT);
  const levelStyles: Record<string, string> = {};
  for (const [level, style] of Object.entries(options.levelStyles ?? defaultLevelStyles(colors))) {
    levelStyles[level] = colors ? style + BRIGHT : "";
  }
  const levelNames = Object.keys(levelStyles);
  const levelWidth = padLevel && levelNames.length > 0 ? Math.max(...levelNames.map((l) => l.length)) : 0;
  const levelReset = levelNames.length > 0 ? reset : "";
  const kvKey = s(CYAN);
  const kvValue = s(MAGENTA);
  const loggerStyle = bright + s(BLUE);

  const valueRepr = (v: unknown) =>
    typeof v === "string" && !reprNativeStr && !QUOTE_TRIGGERS.test(v) ? escapeControl(truncateString(v, max)) : repr(v, max);
  const plain = (value: unknown, style: string, width = 0) => {
    const text = pad(str(value, max), width);
    return text === "" && style === "" ? "" : `${style}${text}${reset}`;
  };
  const columns: Array<[string, (value: unknown) => string]> = [
    [timestampKey, (v) => plain(v, s(DIM))],
    [
      "level",
      (v) =>
        `[${typeof v === "string" && Object.hasOwn(levelStyles, v) ? levelStyles[v] : ""}${pad(str(v, max), levelWidth)}${levelReset}]`,
    ],
    [eventKey, (v) => plain(v, bright, padEventTo)],
    ["logger", (v) => `[${reset}${loggerStyle}${str(v, max)}${reset}]${reset}`],
    ["logger_name", (v) => `[${reset}${loggerStyle}${str(v, max)}${reset}]${reset}`],
  ];

  return markRenderer((_logger, _method, eventDict: EventDict) => {
    const { stack, exception } = eventDict;
    let excInfo = eventDict.exc_info;
    const rest: EventDict = mergeFields(eventDict);
    delete rest.stack;
    delete rest.exception;
    delete rest.exc_info;
    // A request line's `err` (pino's key for the error): shown as the exception block, as exception() shows exc_info.
    if (
      isError(rest.err) &&
      (excInfo === undefined || excInfo === null || excInfo === false) &&
      (exception === undefined || exception === null)
    ) {
      excInfo = rest.err;
      delete rest.err;
    }
    const parts: string[] = [];
    for (const [key, format] of columns) {
      if (!Object.hasOwn(rest, key)) continue;
      const part = format(rest[key]);
      delete rest[key];
      if (part !== "") parts.push(part);
    }
    const keys = Object.keys(rest);
    if (sortKeys) keys.sort();
    let length = 0;
    for (const key of keys) {
      // Past the cap, the rest cannot be written: stop rendering it.
      if (length > maxLine) break;
      const part = `${kvKey}${escapeControl(key)}${reset}=${kvValue}${valueRepr(rest[key])}${reset}`;
      parts.push(part);
      length += part.length + 1;
    }
    const line = parts.join(" ").replace(/ +$/, "");
    let block = "";
    if (stack !== undefined && stack !== null) {
      block += `\n${escapeBlock(truncateString(typeof stack === "string" ? stack : repr(stack, max), max))}`;
      if (excInfo || (exception !== undefined && exception !== null)) block += `\n\n${"=".repeat(79)}\n`;
    }
    if (excInfo === true) noteNoException();
    if (isError(excInfo) || (excInfo !== undefined && excInfo !== null && excInfo !== false && excInfo !== true)) {
      block += truncateString(formatExc(excInfo), max);
    } else if (exception !== undefined && exception !== null) {
      const text = typeof exception === "string" ? exception : JSON.stringify(toJsonSafe(exception, max), null, 2);
      block += `\n${escapeBlock(truncateString(text ?? "", max))}`;
    }
    return capTextLine(block === "" ? line : line + indentBlock(block), maxLine);
  }, "consoleRenderer");
}
markFactory(consoleRenderer, "dev.consoleRenderer()");
