import { describe, expect, it } from "vitest";
import {
  DEFAULT_SETTINGS,
  defineSettings,
  ImproperlyConfigured,
  JSONRenderer,
  layeredSettings,
} from "../src/index.js";

describe("settings", () => {
  it("DRF's defaults", () => {
    const s = defineSettings();
    expect(s.defaultAuthenticationClasses).toEqual([]);
    expect(s.defaultPermissionClasses).toEqual([]);
    expect(s.pageSize).toBeNull();
    expect(s.defaultRendererClasses).toEqual([JSONRenderer]);
    expect(s.searchParam).toBe("search");
    expect(s.orderingParam).toBe("ordering");
    expect(s.versionParam).toBe("version");
    expect(s.maxBodySize).toBe(2_621_440);
    expect(Object.isFrozen(s)).toBe(true);
    expect(s).toEqual(DEFAULT_SETTINGS);
  });

  it("overrides are validated and a bad one stops startup naming it", () => {
    expect(defineSettings({ pageSize: 20 }).pageSize).toBe(20);
    expect(() => defineSettings({ pageSize: 0 })).toThrow(ImproperlyConfigured);
    expect(() => defineSettings({ pageSize: 0 })).toThrow(/pageSize/);
    expect(() => defineSettings({ defaultThrottleRates: { anon: "ten per hour" } })).toThrow(
      /defaultThrottleRates\.anon/,
    );
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input, as from untyped config
    expect(() => defineSettings({ defaultPermissionClasses: ["IsAuthenticated"] as any })).toThrow(
      /defaultPermissionClasses\.0/,
    );
    // biome-ignore lint/suspicious/noExplicitAny: deliberately unknown key
    expect(() => defineSettings({ PAGE_SIZE: 10 } as any)).toThrow(/PAGE_SIZE/);
    expect(
      defineSettings({ defaultThrottleRates: { anon: "100/day", burst: "60/min" } }).defaultThrottleRates,
    ).toEqual({
      anon: "100/day",
      burst: "60/min",
    });
  });

  it("layers base + the environment's layer, reading env vars", () => {
    const layers = {
      base: { pageSize: 20, maxBodySize: 1000 },
      development: { pageSize: 5 },
      production: (env: NodeJS.ProcessEnv) => ({ numProxies: Number(env.NUM_PROXIES ?? 0) }),
      testing: { pageSize: 2 },
    };
    expect(layeredSettings(layers, { APP_ENV: "development" }).pageSize).toBe(5);
    const prod = layeredSettings(layers, { APP_ENV: "production", NUM_PROXIES: "2" });
    expect([prod.pageSize, prod.numProxies, prod.maxBodySize]).toEqual([20, 2, 1000]);
    expect(layeredSettings(layers, { NODE_ENV: "test" }).pageSize).toBe(2);
    expect(() => layeredSettings(layers, { APP_ENV: "staging" })).toThrow(/APP_ENV "staging"/);
    expect(() =>
      layeredSettings({ base: {}, production: () => ({ numProxies: -1 }) }, { APP_ENV: "production" }),
    ).toThrow(/numProxies/);
  });
});
