// Django's signals: receivers connected per sender, sent inside the same transaction as the change.
import type { AnyInstance, AnyModel } from "./model/types.js";

// biome-ignore lint/suspicious/noExplicitAny: receivers get a signal-specific argument object
export type Receiver<A = any> = (args: A) => unknown;

interface Connection<A> {
  receiver: Receiver<A>;
  sender: AnyModel | undefined;
  uid: string | undefined;
}

export class Signal<A extends { sender: AnyModel }> {
  private receivers: Connection<A>[] = [];

  constructor(readonly name: string) {}

  /** Connects `receiver` (for one `sender` model when given); returns a disconnect function. */
  connect(receiver: Receiver<A>, options: { sender?: AnyModel; dispatchUid?: string } = {}): () => void {
    if (options.dispatchUid && this.receivers.some((r) => r.uid === options.dispatchUid)) return () => {};
    const conn = { receiver, sender: options.sender, uid: options.dispatchUid };
    this.receivers.push(conn);
    return () => this.disconnectConnection(conn);
  }

  disconnect(receiver: Receiver<A>, options: { sender?: AnyModel } = {}): boolean {
    const conn = this.receivers.find((r) => r.receiver === receiver && r.sender === options.sender);
    return conn ? this.disconnectConnection(conn) : false;
  }

  private disconnectConnection(conn: Connection<A>): boolean {
    const i = this.receivers.indexOf(conn);
    if (i < 0) return false;
    this.receivers.splice(i, 1);
    return true;
  }

  hasListeners(sender?: AnyModel): boolean {
    return this.receivers.some((r) => r.sender === undefined || r.sender === sender);
  }

  /** Calls every matching receiver in order; an error propagates (and rolls back an enclosing atomic). */
  async send(args: A): Promise<void> {
    for (const r of [...this.receivers]) {
      if (r.sender !== undefined && r.sender !== args.sender && !isSubclass(args.sender, r.sender)) continue;
      await r.receiver(args);
    }
  }
}

function isSubclass(child: AnyModel, parent: AnyModel): boolean {
  return child.prototype instanceof parent;
}

export interface SaveSignalArgs {
  sender: AnyModel;
  instance: AnyInstance;
  raw: boolean;
  updateFields: readonly string[] | undefined;
}
export interface PostSaveSignalArgs extends SaveSignalArgs {
  created: boolean;
}
export interface DeleteSignalArgs {
  sender: AnyModel;
  instance: AnyInstance;
}
export interface M2MChangedArgs {
  sender: AnyModel;
  instance: AnyInstance;
  action: "pre_add" | "post_add" | "pre_remove" | "post_remove" | "pre_clear" | "post_clear";
  reverse: boolean;
  model: AnyModel;
  pkSet: (number | string)[] | undefined;
}

export const preSave = new Signal<SaveSignalArgs>("pre_save");
export const postSave = new Signal<PostSaveSignalArgs>("post_save");
export const preDelete = new Signal<DeleteSignalArgs>("pre_delete");
export const postDelete = new Signal<DeleteSignalArgs>("post_delete");
export const m2mChanged = new Signal<M2MChangedArgs>("m2m_changed");

type InstanceOfModel<M> = M extends abstract new (
  // biome-ignore lint/suspicious/noExplicitAny: matching any constructor signature
  ...args: any
) => infer I
  ? I
  : AnyInstance;

/** The receiver's argument with `instance` typed from the sender model. */
export type ReceiverArgs<A, M> = A extends { instance: unknown }
  ? Omit<A, "instance"> & { instance: InstanceOfModel<M> }
  : A;

/**
 * Decorator-like helper: `receiver(postSave, { sender: User }, ({ instance, created }) => ...)`,
 * `instance` typed from the sender. Returns the disconnect function.
 */
export function receiver<A extends { sender: AnyModel }, M extends AnyModel = AnyModel>(
  signal: Signal<A>,
  options: { sender?: M; dispatchUid?: string },
  fn: (args: ReceiverArgs<A, M>) => unknown,
): () => void {
  return signal.connect(fn as Receiver<A>, options);
}
