import type { FilterBackend, Request, SchemaParameter, ViewLike } from "@x/views";
import { ValidationError } from "@x/views";
import { allOf, anyOf, lookups } from "../condition.js";
import { resolvePath } from "../filterset/resolve-field.js";
import { messages } from "../messages.js";
import type { ModelLike } from "../ports.js";
import { annotateQueryset, applyCondition, restrictToRowsOf } from "../queryset-ops.js";
import { ftsIndexOf } from "../search/fts-index.js";
import { FullTextMatch } from "../search/full-text.js";
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

  /** Distinct terms one search may have: each costs a condition per search field. */
  maxSearchTerms = 50;

  getSearchTerms(request: Request, view: ViewLike): string[] {
    const value = request.queryParams.getAll(this.getSearchParam(view)).at(-1) ?? "";
    // A repeated term changes nothing (every term must match): keep each once.
    const terms = [...new Set(this.quotedPhrases ? searchTermsWithPhrases(value) : searchTerms(value))];
    if (terms.length > this.maxSearchTerms) {
      throw new ValidationError({
        [this.getSearchParam(view)]: [messages.tooManyItems(terms.length, this.maxSearchTerms)],
      });
    }
    return terms;
  }

  /** The lookup a search field uses (`^name` → `name__istartswith`; `@` is handled by fullTextFields). */
  constructSearch(searchField: string): string {
    const { path, lookup } = searchLookup(searchField);
    return `${path}__${lookup}`;
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
    const fields = searchFields.map((field) => searchLookup(field));
    if (fields.some(({ lookup }) => lookup === "iregex")) this.checkRegexTerms(terms, view);
    // `@` fields are full-text matches: annotations (@x/models has no `search` lookup) filtered on.
    const fullText: Record<string, FullTextMatch> = {};
    const model = (queryset as { model?: ModelLike } | null)?.model;
    const fts = ftsIndexOf(model);
    const ftsFor = (path: string) =>
      fts?.fields.includes(path) && model ? { index: fts, pk: model.meta.pk.name } : undefined;
    const condition = allOf(
      terms.map((term, t) =>
        anyOf(
          fields.map(({ path, lookup }, f) => {
            if (lookup !== "search") return lookups({ [`${path}__${lookup}`]: term });
            const alias = `_search_${t}_${f}`;
            fullText[alias] = new FullTextMatch(path, term, ftsFor(path));
            return lookups({ [alias]: true });
          }),
        ),
      ),
    );
    const annotated = Object.keys(fullText).length ? annotateQueryset(queryset, fullText) : queryset;
    // One filter() call: every term's OR applies to the same joined row, as DRF's single Q does.
    const filtered = applyCondition(annotated, condition, false, false);
    // A to-many field could repeat a row: keep the rows matched, each once, without DISTINCT (DRF 3.15);
    // the same subquery keeps the full-text annotations out of the rows.
    const dedupe = annotated !== queryset || this.mustCallDistinct(queryset, searchFields);
    return dedupe ? restrictToRowsOf(queryset, filtered) : filtered;
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
