/** `structlog.contextvars`: context variables on AsyncLocalStorage. */
export {
  bindContextVars,
  boundContextVars,
  type ContextToken,
  clearContextVars,
  getContextVars,
  getMergedContextVars,
  mergeContextVars,
  resetContextVars,
  unbindContextVars,
} from "./context.js";
