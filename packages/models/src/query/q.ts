// Q objects: filter conditions combined with and/or/not.
import { setQFactory } from "./expressions.js";

export type QChild = Record<string, unknown> | QNode;

export class QNode {
  readonly isQ = true;
  constructor(
    readonly children: readonly QChild[],
    readonly connector: "AND" | "OR" = "AND",
    readonly negated = false,
  ) {}

  and(...others: (QNode | Record<string, unknown>)[]): QNode {
    return new QNode([this, ...others.map(toQ)], "AND");
  }
  or(...others: (QNode | Record<string, unknown>)[]): QNode {
    return new QNode([this, ...others.map(toQ)], "OR");
  }
  not(): QNode {
    return new QNode([this], "AND", true);
  }

  /** the filter keys this Q uses (with their lookups) */
  paths(): string[] {
    return this.children.flatMap((c) => (isQ(c) ? c.paths() : Object.keys(c)));
  }

  get isEmpty(): boolean {
    return this.children.every((c) => (isQ(c) ? c.isEmpty : Object.keys(c).length === 0));
  }
}

export function isQ(v: unknown): v is QNode {
  return typeof v === "object" && v !== null && (v as { isQ?: boolean }).isQ === true;
}

function toQ(v: QNode | Record<string, unknown>): QNode {
  return isQ(v) ? v : new QNode([v]);
}

export type Q = QNode;

/** `Q({ name__icontains: "a" }).or(Q({ stock: 0 })).not()` */
export function Q(kwargs: Record<string, unknown> = {}): QNode {
  return new QNode([kwargs]);
}

setQFactory((v) => Q(v));
