/**
 * One test per defect the hostile-value properties found, so each stays
 * fixed even if the random search stops generating its input. The rest moved
 * beside the module each tests (renderers/*.test.ts, call-arguments.test.ts,
 * bound-logger.test.ts); this one is serialize.ts's.
 */
import { describe, expect, it } from "vitest";
import { isError } from "../../src/serialize.js";
import { getPrototypeOfThrows, revokedProxy } from "../renderers/helpers.js";

describe("isError()", () => {
  it("says a proxy that cannot be inspected is not an Error, without throwing", () => {
    expect(isError(getPrototypeOfThrows())).toBe(false);
    expect(isError(revokedProxy())).toBe(false);
  });
});
