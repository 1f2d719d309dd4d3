package io.azmesh.status;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.util.Objects;

/** Rejects a request unless it carries {@code Authorization: Bearer <token>} with our token. */
final class BearerAuth implements Handler {

  static final String MISSING = "missing bearer token: send 'Authorization: Bearer <token>'";
  static final String INVALID = "invalid bearer token";

  private static final String SCHEME = "bearer ";
  private static final String CHALLENGE = "Bearer realm=\"azmesh\"";

  private final BearerToken token;

  BearerAuth(BearerToken token) {
    this.token = Objects.requireNonNull(token, "token");
  }

  @Override
  public void handle(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null
        || header.length() <= SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw challenge(ctx, MISSING);
    }
    if (!token.matches(header.substring(SCHEME.length()).strip())) {
      throw challenge(ctx, INVALID);
    }
  }

  private static HttpResponseException challenge(Context ctx, String message) {
    ctx.header("WWW-Authenticate", CHALLENGE);
    return new HttpResponseException(401, message);
  }
}
