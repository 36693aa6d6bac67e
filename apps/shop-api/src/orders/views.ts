import { IsAdminUser, IsAuthenticated } from "@x/auth";
import { DjangoFilterBackend } from "@x/filters";
import { extendSchema } from "@x/routers";
import {
  type ActionsOf,
  CreateModelMixin,
  CursorPagination,
  GenericViewSet,
  ListModelMixin,
  type Request,
  Response,
  RetrieveModelMixin,
  withMixins,
} from "@x/views";
import { currentUser } from "../users/current.js";
import { OrderFilter } from "./filters.js";
import { Order, type OrderInstance } from "./models.js";
import { OrderCreateSerializer, OrderSerializer, OrderStatusSerializer } from "./serializers.js";
import { cancelOrder, type OrderLine, placeOrder } from "./services.js";

export class OrderCursorPagination extends CursorPagination {
  override pageSize = 20;
  override ordering = ["-created_at", "-id"];
}

/** Orders: list/retrieve/create for their owner (staff see all), PATCH status for staff, cancel. */
export class OrderViewSet extends withMixins(
  GenericViewSet<OrderInstance>,
  ListModelMixin,
  RetrieveModelMixin,
  CreateModelMixin,
) {
  // The model for the router and the schema ({pk} is documented as an integer); every
  // request's rows come from getQueryset(), which narrows to the requester's own orders.
  static override queryset = Order.objects.all();
  static override serializerClass = OrderSerializer;
  static override paginationClass = OrderCursorPagination;
  static override filterBackends = [DjangoFilterBackend];
  static filtersetClass = OrderFilter;
  static override actions: ActionsOf<OrderViewSet> = {
    cancel: { detail: true, methods: ["post"] },
  };

  override getPermissions() {
    if (this.action === "partialUpdate") return [new IsAuthenticated(), new IsAdminUser()];
    return [new IsAuthenticated()];
  }

  /** The write shapes, so OPTIONS and the schema describe what each action reads. */
  override getSerializerClass() {
    if (this.action === "create") return OrderCreateSerializer;
    if (this.action === "partialUpdate") return OrderStatusSerializer;
    return OrderSerializer;
  }

  override getQueryset() {
    const orders = Order.objects
      .selectRelated("user")
      .prefetchRelated("items__product")
      .orderBy("-created_at", "-id");
    const user = currentUser(this.request);
    // Someone else's order is simply not there (404), as the contract asks.
    return user.is_staff ? orders : orders.filter({ user: user.pk });
  }

  override async create(request: Request) {
    const input = new OrderCreateSerializer({
      data: await request.data,
      context: this.getSerializerContext(),
    });
    await input.isValid({ raiseException: true });
    const lines = input.validatedData.items as unknown as OrderLine[];
    const user = currentUser(request);
    const order = await placeOrder(user.pk, lines);
    // Everything the answer shows is in hand (the user, the items and their products, as
    // validated and written): no read-back queries. The stock is not on the answer.
    order.user = user;
    const answer = new OrderSerializer({ instance: order, context: this.getSerializerContext() });
    return new Response(await answer.data, { status: 201 });
  }

  async partialUpdate(request: Request) {
    const order = await this.getObject();
    const input = new OrderStatusSerializer({ data: await request.data, partial: true });
    await input.isValid({ raiseException: true });
    if (input.validatedData.status !== undefined) {
      order.status = input.validatedData.status;
      await order.save({ updateFields: ["status", "updated_at"] });
    }
    return new Response(await this.representation(order.pk));
  }

  async cancel(_request: Request) {
    const order = await this.getObject();
    await cancelOrder(order);
    return new Response(await this.representation(order.pk));
  }

  /** One order as the contract shows it, read back with its items in a constant number of queries. */
  private async representation(pk: number) {
    const order = await Order.objects.selectRelated("user").prefetchRelated("items__product").get({ pk });
    return new OrderSerializer({ instance: order, context: this.getSerializerContext() }).data;
  }
}

// The write serializers describe the bodies; every answer is an Order.
extendSchema(OrderViewSet, {
  create: { responses: { "201": OrderSerializer } },
  partialUpdate: { responses: { "200": OrderSerializer } },
  cancel: { request: null, responses: { "200": OrderSerializer } },
});
