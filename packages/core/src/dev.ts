/** `structlog.dev`: the development console renderer. */
export {
  BLUE,
  BRIGHT,
  type ConsoleRendererOptions,
  CYAN,
  consoleRenderer,
  DIM,
  defaultLevelStyles,
  type ExceptionFormatter,
  GREEN,
  MAGENTA,
  plainTraceback,
  RED,
  RED_BACK,
  RESET_ALL,
  resolveColors,
  YELLOW,
} from "./renderers/console.js";
