// Django's UploadedFile: what a multipart file part becomes in `request.data`.
// Its shape is what @x/serializers' FileField reads (name, size, contentType,
// bytes) and `bytes` is valid content for @x/models' storage.

export class UploadedFile {
  readonly name: string;
  readonly size: number;
  readonly contentType: string | undefined;
  readonly bytes: Uint8Array;

  constructor(name: string, bytes: Uint8Array, contentType?: string) {
    this.name = name;
    this.bytes = bytes;
    this.size = bytes.byteLength;
    this.contentType = contentType || undefined;
  }

  static async fromFile(file: File): Promise<UploadedFile> {
    return new UploadedFile(file.name, new Uint8Array(await file.arrayBuffer()), file.type);
  }

  text(): string {
    return new TextDecoder().decode(this.bytes);
  }

  toString(): string {
    return this.name;
  }
}
