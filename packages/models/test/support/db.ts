// One test database per test file, on the database TEST_DB selects.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type AnyModel, createTestDatabase, type TestDatabase } from "../../src/index.js";

export function useTestDatabase(models: readonly AnyModel[]): { readonly current: TestDatabase } {
  const ref: { current: TestDatabase } = { current: undefined as unknown as TestDatabase };
  beforeAll(async () => {
    ref.current = await createTestDatabase({ models });
  });
  beforeEach(async () => {
    await ref.current.reset();
  });
  afterAll(async () => {
    await ref.current?.close();
  });
  return ref;
}
