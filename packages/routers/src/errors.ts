/** Django's ImproperlyConfigured: a router set up in a way that cannot work, raised at startup. */
export class ImproperlyConfigured extends Error {
  override name = "ImproperlyConfigured";
}

/** Django's NoReverseMatch: no route has this name, or none accepts these kwargs. */
export class NoReverseMatch extends Error {
  override name = "NoReverseMatch";
}
