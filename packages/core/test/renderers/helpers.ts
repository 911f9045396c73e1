/** What the renderer tests share: rendering one event dict, and the controls no line may hold. */
import type { EventDict, Renderer } from "../../src/types.js";

export const render = (r: Renderer, ed: EventDict, method = "info") => r({ msg: () => undefined }, method, ed) as string;

/** C0 and C1 controls, DEL and the Unicode line separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the tests look for raw control characters.
export const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A proxy whose every trap throws: it cannot even be asked for its prototype. */
export const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

/** A proxy whose getPrototypeOf trap throws. */
export const getPrototypeOfThrows = () =>
  new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error("trap");
      },
    },
  );
