import { executionAsyncId } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import {
  atomic,
  captureQueries,
  F,
  IntegrityError,
  inAtomicBlock,
  onCommit,
  postDelete,
  postSave,
  preDelete,
  preSave,
  receiver,
  saveInstance,
} from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Customer, Order, OrderItem, Product, Profile } from "./support/shop.js";

const tdb = useTestDatabase(allModels);

describe("atomic", () => {
  it("commits, rolls back on error, nests with savepoints", async () => {
    await atomic(async () => {
      await Customer.objects.create({ username: "a" });
      expect(inAtomicBlock()).toBe(true);
    });
    await expect(
      atomic(async () => {
        await Customer.objects.create({ username: "b" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await atomic(async () => {
      await Customer.objects.create({ username: "c" });
      await atomic(async () => {
        await Customer.objects.create({ username: "d" });
        throw new Error("inner");
      }).catch(() => {});
      await Customer.objects.create({ username: "e" });
    });
    expect((await Customer.objects.orderBy("username")).map((c) => c.username)).toEqual(["a", "c", "e"]);
    expect(inAtomicBlock()).toBe(false);
  });

  it("a continuation that outlives its block runs outside it, even while another block runs", async () => {
    let later: Promise<void> | undefined;
    let seen: boolean | undefined;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await expect(
      atomic(async () => {
        await Customer.objects.create({ username: "inside" });
        // Started in the block, runs after it ended (rolled back), while the next block runs.
        later = gate.then(() => {
          seen = inAtomicBlock();
        });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await atomic(async () => {
      release();
      await later;
      expect(inAtomicBlock()).toBe(true);
    });
    expect(seen).toBe(false);
    expect(await Customer.objects.count()).toBe(0);
  });

  it("leaves no async hooks behind: after the last block, promises are not tracked (Node 20)", async () => {
    // With an AsyncLocalStorage enabled, every promise gets an async id (an init hook per
    // promise, for every later request of the process); without, a continuation reports 0.
    const promiseId = () => Promise.resolve().then(() => executionAsyncId());
    await Promise.all([
      atomic(() => Customer.objects.create({ username: "x" })),
      atomic(() => Customer.objects.create({ username: "y" })),
    ]);
    expect(await promiseId()).toBe(0);
    await atomic(async () => {
      expect(await promiseId()).not.toBe(0);
    });
    expect(await promiseId()).toBe(0);
  });

  it("runs on_commit callbacks after the outermost commit only", async () => {
    const calls: string[] = [];
    await atomic(async () => {
      onCommit(() => calls.push("outer"));
      await atomic(async () => {
        onCommit(() => calls.push("kept"));
      });
      await atomic(async () => {
        onCommit(() => calls.push("dropped"));
        throw new Error("x");
      }).catch(() => {});
      expect(calls).toEqual([]);
    });
    await atomic(async () => {
      onCommit(() => calls.push("rolled back"));
      throw new Error("y");
    }).catch(() => {});
    expect(calls).toEqual(["outer", "kept"]);
  });

  it("savepoints: a failed statement's own error, rollback to the savepoint, blocks without statements, deep nesting", async () => {
    await Customer.objects.create({ username: "taken" });
    await atomic(async () => {
      await Customer.objects.create({ username: "before" });
      // the statement inside the savepoint fails: its error (not a savepoint's), and the
      // transaction goes on from the savepoint
      const err = await atomic(() => Customer.objects.create({ username: "taken" })).catch((e) => e);
      expect(err).toBeInstanceOf(IntegrityError);
      // no statement inside, returning and throwing
      expect(await atomic(() => 7)).toBe(7);
      await expect(
        atomic(() => {
          throw new Error("before any statement");
        }),
      ).rejects.toThrow("before any statement");
      // three levels: the innermost is released, the middle one fails after it
      await atomic(async () => {
        await Customer.objects.create({ username: "level1" });
        await atomic(async () => {
          await atomic(() => Customer.objects.create({ username: "level3" }));
          await Customer.objects.create({ username: "level2" });
          throw new Error("middle");
        }).catch(() => {});
        // released savepoint, then at once statements side by side in the same transaction
        await atomic(() => Customer.objects.create({ username: "level2b" }));
        const [a, b] = await Promise.all([
          Customer.objects.filter({ username: "level1" }).count(),
          Customer.objects.filter({ username: "level3" }).count(),
        ]);
        expect([a, b]).toEqual([1, 0]);
      });
      // a savepoint released as the last thing before COMMIT
      await atomic(() => Customer.objects.create({ username: "last" }));
    });
    expect((await Customer.objects.orderBy("username")).map((c) => c.username)).toEqual([
      "before",
      "last",
      "level1",
      "level2b",
      "taken",
    ]);
  });

  it("records SAVEPOINT, the block's statements, RELEASE and COMMIT in the order they run", async () => {
    const { queries } = await captureQueries(() =>
      atomic(async () => {
        await atomic(() => Customer.objects.create({ username: "s" }));
      }),
    );
    const kinds = queries.map((q) => q.sql.split(" ")[0]);
    expect(kinds).toEqual([
      tdb.current.db.beginSql.split(" ")[0],
      "SAVEPOINT",
      "INSERT",
      "RELEASE",
      "COMMIT",
    ]);
  });

  it("conditional update never oversells under concurrency", async () => {
    const p = await Product.objects.create({ name: "p", slug: "p", price: "1.00", stock: 20 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        atomic(async () => {
          const sold = await Product.objects
            .filter({ pk: p.id, stock__gte: 1 })
            .update({ stock: F("stock").sub(1) });
          return sold;
        }),
      ),
    );
    const sold = results.reduce((a, b) => a + b, 0);
    expect(sold).toBe(20);
    await p.refreshFromDb();
    expect(p.stock).toBe(0);
  });

  it("selectForUpdate read-modify-write under concurrency", async () => {
    const p = await Product.objects.create({ name: "p", slug: "p", price: "1.00", stock: 10 });
    const outcomes = await Promise.all(
      Array.from({ length: 15 }, () =>
        atomic(async () => {
          const row = await Product.objects.selectForUpdate().get({ pk: p.id });
          if (row.stock < 1) return 0;
          row.stock -= 1;
          await row.save({ updateFields: ["stock"] });
          return 1;
        }),
      ),
    );
    expect(outcomes.reduce((a: number, b: number) => a + b, 0)).toBe(10);
    await p.refreshFromDb();
    expect(p.stock).toBe(0);
    if (tdb.current.vendor === "postgresql") {
      expect(Product.objects.selectForUpdate().toSql().sql).toMatch(/FOR UPDATE/);
    }
  });
});

describe("signals", () => {
  it("post_save with created creates a profile (skipped for raw fixture rows)", async () => {
    const off = receiver(postSave, { sender: Customer }, async ({ instance, created, raw }) => {
      if (created && !raw) await Profile.objects.create({ user: instance });
    });
    try {
      const u = await Customer.objects.create({ username: "ann" });
      expect(await Profile.objects.filter({ user: u }).count()).toBe(1);
      u.email = "a@example.com";
      await u.save();
      expect(await Profile.objects.count()).toBe(1);
      const fixture = new Customer({ username: "fix" });
      await saveInstance(fixture, { raw: true });
      expect(await Profile.objects.filter({ user: fixture }).count()).toBe(0);
    } finally {
      off();
    }
  });

  it("pre_delete restores stock when an order is deleted; pre_save/post_delete fire", async () => {
    const events: string[] = [];
    const offs = [
      receiver(preDelete, { sender: Order }, async ({ instance }) => {
        const items = await OrderItem.objects.filter({ order: instance.pk }).selectRelated("product");
        for (const item of items) {
          item.product.stock += item.quantity;
          await item.product.save();
        }
      }),
      receiver(preSave, { sender: Order }, () => {
        events.push("pre_save");
      }),
      receiver(postDelete, { sender: Order }, () => {
        events.push("post_delete");
      }),
    ];
    try {
      const u = await Customer.objects.create({ username: "bob" });
      const p = await Product.objects.create({ name: "p", slug: "p", price: "1.00", stock: 1 });
      const o = await Order.objects.create({ user: u });
      await OrderItem.objects.create({ order: o, product: p, quantity: 4, price: "1.00" });
      await o.delete();
      await p.refreshFromDb();
      expect(p.stock).toBe(5);
      expect(events).toEqual(["pre_save", "post_delete"]);
    } finally {
      for (const off of offs) off();
    }
  });

  it("a failing receiver rolls back the enclosing transaction", async () => {
    const off = postSave.connect(
      () => {
        throw new Error("receiver failed");
      },
      { sender: Customer },
    );
    try {
      await expect(atomic(() => Customer.objects.create({ username: "x" }))).rejects.toThrow(
        "receiver failed",
      );
      expect(await Customer.objects.count()).toBe(0);
    } finally {
      off();
    }
  });
});
