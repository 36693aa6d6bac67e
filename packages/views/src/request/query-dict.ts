// Django's QueryDict over URLSearchParams: `get` returns the LAST value of a
// repeated key (`?page=1&page=2` → "2"), as Django and django-filter read it.
export class QueryDict extends URLSearchParams {
  override get(name: string): string | null {
    const values = this.getAll(name);
    return values.length > 0 ? (values[values.length - 1] as string) : null;
  }
}
