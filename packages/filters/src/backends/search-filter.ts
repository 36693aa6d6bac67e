import type { FilterBackend, Request, SchemaParameter, ViewLike } from "@x/views";
import { ValidationError } from "@x/views";
import { allOf, anyOf, lookups } from "../condition.js";
import { resolvePath } from "../filterset/resolve-field.js";
import { messages } from "../messages.js";
import type { ModelLike } from "../ports.js";
import { applyCondition, restrictToRowsOf } from "../queryset-ops.js";
import { searchLookup, searchTerms, searchTermsWithPhrases } from "../search/terms.js";
import { stringList, viewHookOrAttribute, viewSetting } from "./view-attribute.js";

/**
 * DRF's SearchFilter: `?search=` terms, each matching at least one of the view's `searchFields`
 * (case-insensitive contains, or `^` startswith, `=` exact, `$` regex, `@` full-text).
 */
export class SearchFilter implements FilterBackend {
  /** The query parameter; defaults to the `searchParam` setting ("search"). */
  searchParam?: string;
  /** DRF 3.15's splitting: `"red shoe"` in quotes is one term. Off by default (DRF 3.14, the contract). */
  quotedPhrases = false;
  searchTitle = "Search";
  searchDescription = "A search term.";

  getSearchFields(view: ViewLike, request: Request): string[] | undefined {
    return stringList(viewHookOrAttribute(view, "getSearchFields", "searchFields", request), "searchFields");
  }

  getSearchParam(view: ViewLike): string {
    return this.searchParam ?? viewSetting(view, "searchParam") ?? "search";
  }

  getSearchTerms(request: Request, view: ViewLike): string[] {
    const value = request.queryParams.getAll(this.getSearchParam(view)).at(-1) ?? "";
    return this.quotedPhrases ? searchTermsWithPhrases(value) : searchTerms(value);
  }

  /** The lookup a search field uses (`@` full-text falls back to icontains; see the README). */
  constructSearch(searchField: string): string {
    const { path, lookup } = searchLookup(searchField);
    return `${path}__${lookup === "search" ? "icontains" : lookup}`;
  }

  /**
   * A `$` field hands terms to the database as regular expressions: an invalid one is the client's
   * error (400), not a database error (500). Checked with JavaScript's RegExp, whose syntax covers the
   * portable subset @x/models documents.
   */
  checkRegexTerms(terms: readonly string[], view: ViewLike): void {
    for (const term of terms) {
      try {
        new RegExp(term);
      } catch {
        throw new ValidationError({ [this.getSearchParam(view)]: [messages.invalidRegex] });
      }
    }
  }

  /** De-duplication is needed when a field crosses a to-many relation (a row could match several times). */
  mustCallDistinct(queryset: unknown, searchFields: readonly string[]): boolean {
    const model = (queryset as { model?: ModelLike } | null)?.model;
    return searchFields.some((field) => {
      const { path } = searchLookup(field);
      if (!path.includes("__")) return false;
      const resolved = model?.meta ? resolvePath(model, path) : undefined;
      // A path this package cannot resolve is a reverse relation: assume to-many.
      return resolved ? resolved.toMany : true;
    });
  }

  filterQueryset<Q>(request: Request, queryset: Q, view: ViewLike): Q {
    const searchFields = this.getSearchFields(view, request);
    const terms = this.getSearchTerms(request, view);
    if (!searchFields?.length || terms.length === 0) return queryset;
    const ormLookups = searchFields.map((field) => this.constructSearch(field));
    if (ormLookups.some((lookup) => lookup.endsWith("__iregex"))) this.checkRegexTerms(terms, view);
    const condition = allOf(
      terms.map((term) => anyOf(ormLookups.map((lookup) => lookups({ [lookup]: term })))),
    );
    // One filter() call: every term's OR applies to the same joined row, as DRF's single Q does.
    const filtered = applyCondition(queryset, condition, false, false);
    // A to-many field could repeat a row: keep the rows matched, each once, without DISTINCT (DRF 3.15).
    return this.mustCallDistinct(queryset, searchFields) ? restrictToRowsOf(queryset, filtered) : filtered;
  }

  schemaParameters(view: ViewLike): SchemaParameter[] {
    return [
      {
        name: this.getSearchParam(view),
        in: "query",
        required: false,
        description: this.searchDescription,
        schema: { type: "string" },
      },
    ];
  }
}
