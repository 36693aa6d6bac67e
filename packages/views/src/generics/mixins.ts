// DRF's model mixins as plain method objects: the concrete views and ViewSets
// call them, and `withMixins()` composes them into custom view classes.
import type { Request } from "../request/request.js";
import { Response } from "../response/response.js";
import type { GenericAPIView } from "./generic-api-view.js";

type View = GenericAPIView<unknown>;

export const ListModelMixin = {
  async list(this: View, request: Request): Promise<Response> {
    void request;
    const validating = this.validateFilterRequest();
    if (validating) await validating;
    const queryset = this.filterQueryset(this.getPlannedQueryset());
    const page = await this.paginateQueryset(queryset);
    if (page !== null) {
      const serializer = this.getSerializer({ instance: page, many: true });
      return this.getPaginatedResponse((await serializer.data) as unknown[]);
    }
    const rows = await queryset;
    const serializer = this.getSerializer({ instance: rows, many: true });
    return new Response(await serializer.data);
  },
};

export const CreateModelMixin = {
  async create(this: View, request: Request): Promise<Response> {
    const serializer = this.getSerializer({ data: await request.data });
    await serializer.isValid({ raiseException: true });
    await this.performCreate(serializer);
    const data = await serializer.data;
    return new Response(data, { status: 201, headers: this.getSuccessHeaders(data) });
  },
};

export const RetrieveModelMixin = {
  async retrieve(this: View, request: Request): Promise<Response> {
    void request;
    const instance = await this.getObject();
    const serializer = this.getSerializer({ instance });
    return new Response(await serializer.data);
  },
};

async function update(view: View, request: Request, partial: boolean): Promise<Response> {
  const instance = await view.getObject();
  const serializer = view.getSerializer({ instance, data: await request.data, partial });
  await serializer.isValid({ raiseException: true });
  await view.performUpdate(serializer);
  return new Response(await serializer.data);
}

export const UpdateModelMixin = {
  async update(this: View, request: Request): Promise<Response> {
    return update(this, request, false);
  },
  async partialUpdate(this: View, request: Request): Promise<Response> {
    return update(this, request, true);
  },
};

export const DestroyModelMixin = {
  async destroy(this: View, request: Request): Promise<Response> {
    void request;
    const instance = await this.getObject();
    await this.performDestroy(instance);
    return new Response(undefined, { status: 204 });
  },
};

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
// biome-ignore lint/suspicious/noExplicitAny: a mixin base is any view class constructor
type ViewCtor = abstract new (...args: any[]) => GenericAPIView<any>;

/**
 * DRF's `class X(mixins.CreateModelMixin, mixins.ListModelMixin, GenericViewSet)`:
 * `class X extends withMixins(GenericViewSet<Product>, CreateModelMixin, ListModelMixin) {}`.
 */
export function withMixins<B extends ViewCtor, M extends object[]>(
  Base: B,
  ...mixins: M
): Omit<B, "prototype"> & (abstract new () => InstanceType<B> & UnionToIntersection<M[number]>) {
  abstract class Mixed extends Base {}
  for (const mixin of mixins) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(mixin))) {
      Object.defineProperty(Mixed.prototype, name, { ...descriptor, enumerable: false });
    }
  }
  return Mixed as unknown as Omit<B, "prototype"> &
    (abstract new () => InstanceType<B> & UnionToIntersection<M[number]>);
}
