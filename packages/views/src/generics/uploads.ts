// Multipart uploads end to end: before a serializer saves, every UploadedFile
// headed for a model FileField/ImageField is written to the storage (under the
// field's upload_to) and replaced by its stored name — what Django's
// FileField.pre_save does.
import { type AnyModel, getStorage, saveUpload } from "@x/models";
import { UploadedFile } from "../request/uploaded-file.js";

const FILE_TYPES = new Set(["FileField", "ImageField"]);

/** Stored names for the uploads in `data` (field name → stored name). */
export async function storeUploads(
  model: AnyModel,
  data: Record<string, unknown>,
): Promise<Record<string, string>> {
  const stored: Record<string, string> = {};
  for (const field of model.meta.fields) {
    if (!FILE_TYPES.has(field.type)) continue;
    const value = data[field.name];
    if (!(value instanceof UploadedFile)) continue;
    stored[field.name] = await saveUpload({
      ...(field.uploadTo !== undefined ? { uploadTo: field.uploadTo } : {}),
      instance: data,
      filename: value.name,
      content: value.bytes,
      storage: getStorage(),
      maxLength: field.maxLength ?? 100,
    });
  }
  return stored;
}

interface Savable {
  readonly validatedData: unknown;
  save(extra?: Record<string, unknown>): Promise<unknown>;
}

/** Makes `serializer.save()` store its uploads first (so overridden performCreate hooks need nothing). */
export function saveUploadsOnSave<S extends Savable>(serializer: S, model: AnyModel | undefined): S {
  if (!model?.meta.fields.some((f) => FILE_TYPES.has(f.type))) return serializer;
  const save = serializer.save.bind(serializer);
  serializer.save = async (extra?: Record<string, unknown>) => {
    const data = { ...((serializer.validatedData ?? {}) as Record<string, unknown>), ...extra };
    return save({ ...extra, ...(await storeUploads(model, data)) });
  };
  return serializer;
}
