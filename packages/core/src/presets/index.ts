/**
 * `structlog.presets`: processor chains that write what the big log
 * pipelines expect. Each returns a whole chain (context variables in, JSON
 * out) that takes your own processors (`processors: [addTraceContext()]`).
 *
 * @example
 * configure({ processors: presets.ecs({ serviceName: "shop" }) });
 */
export { ECS_VERSION, type EcsPresetOptions, ecs } from "./ecs.js";
export { OTEL_SEVERITY, type OtelPresetOptions, otel } from "./otel.js";
export { PINO_LEVELS, type PinoPresetOptions, pino } from "./pino.js";
export type { PresetOptions } from "./shared.js";
