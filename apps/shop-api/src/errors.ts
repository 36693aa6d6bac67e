import { APIException, status } from "@x/views";

/** A 400 answered as `{"detail": "..."}` (DRF's APIException shape, not a field error). */
export class BadRequest extends APIException {
  static override statusCode = status.HTTP_400_BAD_REQUEST;
  static override defaultDetail = "Bad request.";
  static override defaultCode = "bad_request";
}
