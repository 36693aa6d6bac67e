import { describe, expect, it } from "vitest";
import { JSONRenderer } from "../src/index.js";

describe("JSONRenderer", () => {
  const renderer = new JSONRenderer();

  it("writes compact JSON, indented only when the accepted type asks", () => {
    const data = { a: [1, "é"], b: { c: null } };
    expect(renderer.render(data, "application/json")).toBe('{"a":[1,"é"],"b":{"c":null}}');
    expect(renderer.render(data, "application/json; indent=2")).toBe(JSON.stringify(data, null, 2));
    expect(renderer.render(undefined, "application/json")).toBe("");
  });

  it("writes a BigInt as a number when exact, else as a string", () => {
    expect(renderer.render({ id: 5n, big: 2n ** 60n, list: [7n] }, "application/json")).toBe(
      '{"id":5,"big":"1152921504606846976","list":[7]}',
    );
  });

  it("still refuses what JSON cannot represent", () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => renderer.render(loop, "application/json")).toThrow(TypeError);
  });
});
