import {
  type AnyModel,
  CASCADE,
  CharField,
  DateTimeField,
  defineModel,
  ForeignKey,
  IntegerField,
  OneToOneField,
  SET_NULL,
  TextField,
} from "@x/models";
import { randomHex } from "../crypto/random.js";
import { registerObjectPermissionModels } from "./object-permission-registry.js";
import { Group, Permission } from "./permission.js";

/**
 * The tables that point at the user model (AUTH_USER_MODEL), defined for the
 * project's own user model: the authtoken Token, simplejwt's outstanding and
 * blacklisted tokens, guardian's object permissions, and sessions.
 */
export function authModels<U extends AnyModel>(User: U) {
  /** DRF's authtoken Token: one 40-hex key per user, from a CSPRNG. */
  const Token = defineModel("authtoken.Token", {
    fields: {
      key: CharField({ maxLength: 40, primaryKey: true, default: () => randomHex(20) }),
      user: OneToOneField(() => User, { onDelete: CASCADE, relatedName: "auth_token" }),
      created: DateTimeField({ autoNowAdd: true }),
    },
    meta: { dbTable: "authtoken_token" },
    methods: {
      toString(): string {
        return this.key;
      },
    },
  });

  /** simplejwt's OutstandingToken: every refresh token issued. */
  const OutstandingToken = defineModel("token_blacklist.OutstandingToken", {
    fields: {
      user: ForeignKey(() => User, { onDelete: SET_NULL, null: true, blank: true }),
      jti: CharField({ maxLength: 255, unique: true }),
      token: TextField(),
      created_at: DateTimeField({ null: true, blank: true }),
      expires_at: DateTimeField({ dbIndex: true }),
    },
    meta: { dbTable: "token_blacklist_outstandingtoken", ordering: ["user", "-created_at"] },
  });

  /** simplejwt's BlacklistedToken: one row per blacklisted outstanding token. */
  const BlacklistedToken = defineModel("token_blacklist.BlacklistedToken", {
    fields: {
      token: OneToOneField(() => OutstandingToken, { onDelete: CASCADE }),
      blacklisted_at: DateTimeField({ autoNowAdd: true }),
    },
    meta: { dbTable: "token_blacklist_blacklistedtoken" },
  });

  /**
   * django-guardian's UserObjectPermission: a permission on one object for one
   * user. `object_pk` holds any primary key as text; `object_id` repeats an
   * integer one, so "objects the user may see" is an `IN (subquery)` on both
   * databases without casting.
   */
  const UserObjectPermission = defineModel("guardian.UserObjectPermission", {
    fields: {
      permission: ForeignKey(() => Permission, { onDelete: CASCADE }),
      object_pk: CharField({ maxLength: 255, dbIndex: true }),
      object_id: IntegerField({ null: true, dbIndex: true }),
      user: ForeignKey(() => User, { onDelete: CASCADE }),
    },
    meta: { dbTable: "guardian_userobjectpermission", uniqueTogether: [["user", "permission", "object_pk"]] },
  });

  /** django-guardian's GroupObjectPermission. */
  const GroupObjectPermission = defineModel("guardian.GroupObjectPermission", {
    fields: {
      permission: ForeignKey(() => Permission, { onDelete: CASCADE }),
      object_pk: CharField({ maxLength: 255, dbIndex: true }),
      object_id: IntegerField({ null: true, dbIndex: true }),
      group: ForeignKey(() => Group, { onDelete: CASCADE }),
    },
    meta: {
      dbTable: "guardian_groupobjectpermission",
      uniqueTogether: [["group", "permission", "object_pk"]],
    },
  });

  /** Django's sessions.Session (the database session store). */
  const Session = defineModel("sessions.Session", {
    fields: {
      session_key: CharField({ maxLength: 40, primaryKey: true }),
      session_data: TextField(),
      expire_date: DateTimeField({ dbIndex: true }),
    },
    meta: { dbTable: "django_session" },
  });

  registerObjectPermissionModels(User, {
    UserObjectPermission: UserObjectPermission as unknown as AnyModel,
    GroupObjectPermission: GroupObjectPermission as unknown as AnyModel,
  });

  return {
    User,
    Token,
    OutstandingToken,
    BlacklistedToken,
    UserObjectPermission,
    GroupObjectPermission,
    Session,
    /** Every model to create, in dependency order (pass to createTables / migrations). */
    all: [
      Permission,
      Group,
      User,
      Token,
      OutstandingToken,
      BlacklistedToken,
      UserObjectPermission,
      GroupObjectPermission,
      Session,
    ] as unknown as AnyModel[],
  };
}

export type AuthModels = ReturnType<typeof authModels>;
