// A FIFO async lock: SQLite has one connection, so a transaction owns it until it ends.
export class Mutex {
  private locked = false;
  private waiters: (() => void)[] = [];

  get isLocked(): boolean {
    return this.locked;
  }

  async lock(): Promise<() => void> {
    if (this.locked) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.locked = true;
    return () => this.unlock();
  }

  private unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
