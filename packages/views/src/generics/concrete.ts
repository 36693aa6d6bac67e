// The nine concrete generic views: HTTP methods mapped onto the model mixins.
import type { Request } from "../request/request.js";
import type { Response } from "../response/response.js";
import { GenericAPIView } from "./generic-api-view.js";
import {
  CreateModelMixin,
  DestroyModelMixin,
  ListModelMixin,
  RetrieveModelMixin,
  UpdateModelMixin,
} from "./mixins.js";

type View = GenericAPIView<unknown>;
const call = <A extends unknown[]>(
  fn: (this: View, ...args: A) => Promise<Response>,
  view: unknown,
  ...args: A
) => fn.apply(view as View, args);

export class CreateAPIView<T = unknown> extends GenericAPIView<T> {
  post(request: Request): Promise<Response> {
    return this.create(request);
  }
  create(request: Request): Promise<Response> {
    return call(CreateModelMixin.create, this, request);
  }
}

export class ListAPIView<T = unknown> extends GenericAPIView<T> {
  get(request: Request): Promise<Response> {
    return this.list(request);
  }
  list(request: Request): Promise<Response> {
    return call(ListModelMixin.list, this, request);
  }
}

export class RetrieveAPIView<T = unknown> extends GenericAPIView<T> {
  get(request: Request): Promise<Response> {
    return this.retrieve(request);
  }
  retrieve(request: Request): Promise<Response> {
    return call(RetrieveModelMixin.retrieve, this, request);
  }
}

export class DestroyAPIView<T = unknown> extends GenericAPIView<T> {
  delete(request: Request): Promise<Response> {
    return this.destroy(request);
  }
  destroy(request: Request): Promise<Response> {
    return call(DestroyModelMixin.destroy, this, request);
  }
}

export class UpdateAPIView<T = unknown> extends GenericAPIView<T> {
  put(request: Request): Promise<Response> {
    return this.update(request);
  }
  patch(request: Request): Promise<Response> {
    return this.partialUpdate(request);
  }
  update(request: Request): Promise<Response> {
    return call(UpdateModelMixin.update, this, request);
  }
  partialUpdate(request: Request): Promise<Response> {
    return call(UpdateModelMixin.partialUpdate, this, request);
  }
}

export class ListCreateAPIView<T = unknown> extends GenericAPIView<T> {
  get(request: Request): Promise<Response> {
    return this.list(request);
  }
  post(request: Request): Promise<Response> {
    return this.create(request);
  }
  list(request: Request): Promise<Response> {
    return call(ListModelMixin.list, this, request);
  }
  create(request: Request): Promise<Response> {
    return call(CreateModelMixin.create, this, request);
  }
}

export class RetrieveUpdateAPIView<T = unknown> extends GenericAPIView<T> {
  get(request: Request): Promise<Response> {
    return this.retrieve(request);
  }
  put(request: Request): Promise<Response> {
    return this.update(request);
  }
  patch(request: Request): Promise<Response> {
    return this.partialUpdate(request);
  }
  retrieve(request: Request): Promise<Response> {
    return call(RetrieveModelMixin.retrieve, this, request);
  }
  update(request: Request): Promise<Response> {
    return call(UpdateModelMixin.update, this, request);
  }
  partialUpdate(request: Request): Promise<Response> {
    return call(UpdateModelMixin.partialUpdate, this, request);
  }
}

export class RetrieveDestroyAPIView<T = unknown> extends GenericAPIView<T> {
  get(request: Request): Promise<Response> {
    return this.retrieve(request);
  }
  delete(request: Request): Promise<Response> {
    return this.destroy(request);
  }
  retrieve(request: Request): Promise<Response> {
    return call(RetrieveModelMixin.retrieve, this, request);
  }
  destroy(request: Request): Promise<Response> {
    return call(DestroyModelMixin.destroy, this, request);
  }
}

export class RetrieveUpdateDestroyAPIView<T = unknown> extends GenericAPIView<T> {
  get(request: Request): Promise<Response> {
    return this.retrieve(request);
  }
  put(request: Request): Promise<Response> {
    return this.update(request);
  }
  patch(request: Request): Promise<Response> {
    return this.partialUpdate(request);
  }
  delete(request: Request): Promise<Response> {
    return this.destroy(request);
  }
  retrieve(request: Request): Promise<Response> {
    return call(RetrieveModelMixin.retrieve, this, request);
  }
  update(request: Request): Promise<Response> {
    return call(UpdateModelMixin.update, this, request);
  }
  partialUpdate(request: Request): Promise<Response> {
    return call(UpdateModelMixin.partialUpdate, this, request);
  }
  destroy(request: Request): Promise<Response> {
    return call(DestroyModelMixin.destroy, this, request);
  }
}
