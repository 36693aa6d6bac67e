import { booleanFilter, charFilter, defineFilterSet, numberFilter } from "@x/filters";
import { Product } from "./models.js";

type ProductQuerySet = ReturnType<typeof Product.objects.all>;

/** The product list's query filters (CONTRACT.md "List query parameters"). */
export const ProductFilter = defineFilterSet({
  model: Product,
  filters: {
    category: charFilter({ fieldName: "category__slug" }),
    min_price: numberFilter({ fieldName: "price", lookupExpr: "gte" }),
    max_price: numberFilter({ fieldName: "price", lookupExpr: "lte" }),
    in_stock: booleanFilter<ProductQuerySet>({
      method: (queryset, _name, value) =>
        value ? queryset.filter({ stock__gt: 0 }) : queryset.filter({ stock: 0 }),
    }),
    is_featured: booleanFilter(),
    name: charFilter({ lookupExpr: "icontains" }),
  },
});
