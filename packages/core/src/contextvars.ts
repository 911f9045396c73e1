/** `structlog.contextvars`: context variables on AsyncLocalStorage. */
export {
  bindContextVars,
  bindToScope,
  boundContextVars,
  type ContextToken,
  clearContextVars,
  getContextVars,
  getMergedContextVars,
  mergeContextVars,
  resetContextVars,
  unbindContextVars,
} from "./context.js";
