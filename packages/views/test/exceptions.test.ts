import { IntegrityError, ValidationError as ModelValidationError, ObjectDoesNotExist } from "@x/models";
import { ValidationError as SerializerValidationError } from "@x/serializers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  APIClient,
  APIException,
  APIView,
  apiContext,
  defineSettings,
  type ExceptionHandler,
  exceptionHandler,
  type Logger,
  NotFound,
  type Request,
  Response,
  status,
  Throttled,
  ValidationError,
} from "../src/index.js";

class InsufficientStock extends APIException {
  static override statusCode = status.HTTP_400_BAD_REQUEST;
  static override defaultDetail = "Not enough stock available.";
  static override defaultCode = "insufficient_stock";
}

class ServiceUnavailable extends APIException {
  static override statusCode = status.HTTP_503_SERVICE_UNAVAILABLE;
  static override defaultDetail = "Service temporarily unavailable, try again later.";
  static override defaultCode = "service_unavailable";
}

class Product {
  static DoesNotExist = class DoesNotExist extends ObjectDoesNotExist {};
}

const raising: Record<string, () => unknown> = {
  stock: () => {
    throw new InsufficientStock({ available: 2, requested: 5 });
  },
  stockDefault: () => {
    throw new InsufficientStock();
  },
  unavailable: () => {
    throw new ServiceUnavailable();
  },
  validation: () => {
    throw new ValidationError("Bad thing.");
  },
  validationDict: () => {
    throw new ValidationError({ price: ["Price cannot be less than cost"] });
  },
  missing: () => {
    throw new Product.DoesNotExist("Product matching query does not exist.");
  },
  modelValidation: () => {
    throw new ModelValidationError({ __all__: ["Both wrong."], price: "Too high." });
  },
  unique: () => {
    throw new IntegrityError("UNIQUE constraint failed: products.slug", "products.slug");
  },
  uniquePg: () => {
    const cause = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      detail: "Key (slug)=(pen) already exists.",
    });
    throw new IntegrityError("duplicate key value violates unique constraint", "products_slug_key", {
      cause,
    });
  },
  uniqueTogether: () => {
    throw new IntegrityError("UNIQUE constraint failed: reviews.product_id, reviews.user_id");
  },
  serializerValidation: () => {
    throw new SerializerValidationError({ name: "This field is required." });
  },
  fk: () => {
    throw new IntegrityError("FOREIGN KEY constraint failed");
  },
  notAModelError: () => {
    throw Object.assign(new Error("looks like one"), { name: "ValidationError", detail: ["x"] });
  },
  bug: () => {
    throw new TypeError("secret internals at /srv/app.ts:12");
  },
  throttled: () => {
    throw new Throttled(3);
  },
  throttledOne: () => {
    throw new Throttled(0.4);
  },
};

class Raiser extends APIView {
  async get(request: Request): Promise<Response> {
    raising[request.kwargs.kind ?? ""]?.();
    return new Response({ ok: true });
  }
}

function makeApp(settings = defineSettings()): Hono {
  const app = new Hono();
  app.use("*", apiContext({ settings }));
  app.all("/raise/:kind/", Raiser.asView());
  return app;
}

function silentLogger(): Logger & { errors: Array<[string, Record<string, unknown> | undefined]> } {
  const errors: Array<[string, Record<string, unknown> | undefined]> = [];
  return { errors, error: (m, meta) => errors.push([m, meta]), warn: () => {} };
}

describe("exception handling", () => {
  const logger = silentLogger();
  const client = new APIClient(makeApp(defineSettings({ logger })));

  it("user-defined exceptions with a dict detail (the handbook's InsufficientStock)", async () => {
    const res = await client.get("/raise/stock/");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ available: 2, requested: 5 });
    const plain = await client.get("/raise/stockDefault/");
    expect(plain.data).toEqual({ detail: "Not enough stock available." });
    const unavailable = await client.get("/raise/unavailable/");
    expect(unavailable.status).toBe(503);
    expect(unavailable.data).toEqual({ detail: "Service temporarily unavailable, try again later." });
  });

  it("ValidationError wraps a bare message in a list; a dict stays as is", async () => {
    expect((await client.get("/raise/validation/")).data).toEqual(["Bad thing."]);
    const res = await client.get("/raise/validationDict/");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ price: ["Price cannot be less than cost"] });
  });

  it("model errors: DoesNotExist → 404, ValidationError → 400, unique IntegrityError → 400", async () => {
    const missing = await client.get("/raise/missing/");
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({ detail: "Not found." });
    const invalid = await client.get("/raise/modelValidation/");
    expect(invalid.status).toBe(400);
    expect(invalid.data).toEqual({ non_field_errors: ["Both wrong."], price: ["Too high."] });
    for (const kind of ["unique", "uniquePg"]) {
      const unique = await client.get(`/raise/${kind}/`);
      expect([unique.status, unique.data]).toEqual([400, { slug: ["This field must be unique."] }]);
    }
    const together = await client.get("/raise/uniqueTogether/");
    expect(together.data).toEqual({
      non_field_errors: ["The fields product_id, user_id must make a unique set."],
    });
    const serializer = await client.get("/raise/serializerValidation/");
    expect([serializer.status, serializer.data]).toEqual([400, { name: ["This field is required."] }]);
  });

  it("any other error is a generic 500 with a request id, the stack only in the log", async () => {
    logger.errors.length = 0;
    for (const kind of ["bug", "fk", "notAModelError"]) {
      const res = await client.get(`/raise/${kind}/`);
      expect(res.status).toBe(500);
      expect(res.data).toEqual({ detail: "A server error occurred." });
      expect(res.text).not.toContain("secret");
      const id = res.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const logged = logger.errors.at(-1);
      expect(logged?.[0]).toContain(id);
      expect(String(logged?.[1]?.error)).toContain(
        { bug: "secret internals", fk: "FOREIGN KEY", notAModelError: "looks like one" }[kind],
      );
    }
  });

  it("Throttled carries Retry-After and DRF's message", async () => {
    const res = await client.get("/raise/throttled/");
    expect(res.status).toBe(429);
    expect(res.data).toEqual({ detail: "Request was throttled. Expected available in 3 seconds." });
    expect(res.headers.get("retry-after")).toBe("3");
    const one = await client.get("/raise/throttledOne/");
    expect(one.data).toEqual({ detail: "Request was throttled. Expected available in 1 second." });
  });

  it("the handbook's custom exception handler replaces the default", async () => {
    const custom: ExceptionHandler = async (exc, context) => {
      const response = await exceptionHandler(exc, context);
      if (response) {
        response.data = {
          error: { status_code: response.status, message: response.data, detail: (exc as Error).message },
        };
      }
      return response;
    };
    const app = makeApp(defineSettings({ exceptionHandler: custom, logger: silentLogger() }));
    const res = await new APIClient(app).get("/raise/missing/");
    expect(res.status).toBe(404);
    expect(res.data).toEqual({
      error: {
        status_code: 404,
        message: { detail: "Not found." },
        detail: "Product matching query does not exist.",
      },
    });
    const bug = await new APIClient(app).get("/raise/bug/");
    expect(bug.status).toBe(500);
    expect(bug.data).toEqual({ detail: "A server error occurred." });
  });

  it("a raw NotFound carries its code", () => {
    const e = new NotFound();
    expect([e.statusCode, e.code, e.detail]).toEqual([404, "not_found", "Not found."]);
  });
});
