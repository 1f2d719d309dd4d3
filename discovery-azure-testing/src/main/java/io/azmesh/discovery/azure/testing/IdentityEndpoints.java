package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where tokens come from: the App Service managed-identity endpoint and the Entra ID authority's
 * client-credentials grant for one service principal. Both hand out the one token ARM accepts for
 * the ARM audience (the fake's own URL), and other tokens for other audiences, which ARM refuses
 * 401 {@code InvalidAuthenticationTokenAudience}.
 */
final class IdentityEndpoints {
  static final String TOKEN_PATH = "/msi/token";
  private static final Pattern AAD_TOKEN = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");

  final String accessToken = "fake-arm-token-" + UUID.randomUUID();
  final String identityHeader = "fake-identity-header-" + UUID.randomUUID();
  // Tokens handed out for other audiences (Key Vault, Graph, a mistyped ARM URL), by token.
  private final Map<String, String> otherAudiences = new ConcurrentHashMap<>();
  private volatile String armAudience = "";
  private volatile ServicePrincipal servicePrincipal;

  /** The one audience ARM accepts: the fake's own URL, as a custom ARM endpoint's is. */
  void armAudience(String audience) {
    this.armAudience = normalized(audience);
  }

  /** {@code https://host/}, {@code https://host//.default} and {@code https://host} alike. */
  private static String normalized(String audienceOrScope) {
    String audience = audienceOrScope.strip();
    if (audience.endsWith("/.default")) {
      audience = audience.substring(0, audience.length() - "/.default".length());
    }
    while (audience.endsWith("/")) {
      audience = audience.substring(0, audience.length() - 1);
    }
    return audience.toLowerCase(Locale.ROOT);
  }

  /** The token for an audience: ARM's for the fake's own URL, another for anything else. */
  String tokenFor(String audienceOrScope) {
    String audience = normalized(audienceOrScope);
    if (audience.equals(armAudience)) {
      return accessToken;
    }
    String token = "fake-token-" + UUID.randomUUID();
    otherAudiences.put(token, audience);
    return token;
  }

  void servicePrincipal(String tenant, String clientId, String clientSecret) {
    this.servicePrincipal = new ServicePrincipal(tenant, clientId, clientSecret);
  }

  /** Answers a token request and says so, or leaves a request for ARM untouched. */
  boolean answer(HttpExchange exchange, RecordedRequest request, String body) throws IOException {
    if (request.path().equals(TOKEN_PATH)) {
      sendToken(exchange, request, Wire.parseQuery(request.query()));
      return true;
    }
    Matcher aad = AAD_TOKEN.matcher(request.path());
    if (aad.matches() && request.method().equals("POST")) {
      sendClientCredentialsToken(exchange, aad.group(1), Wire.parseQuery(body));
      return true;
    }
    return false;
  }

  /**
   * ARM's 401 body for a request without the token this fake handed out for ARM, or empty when it
   * carries it. A token the fake issued for another audience is refused as ARM refuses it.
   */
  Optional<String> refusal(RecordedRequest request) {
    Optional<String> bearer =
        request
            .header("Authorization")
            .filter(h -> h.startsWith("Bearer "))
            .map(h -> h.substring(7));
    if (bearer.equals(Optional.of(accessToken))) {
      return Optional.empty();
    }
    String audience = bearer.map(otherAudiences::get).orElse(null);
    if (audience != null) {
      return Optional.of(
          Fault.armError(
              "InvalidAuthenticationTokenAudience",
              "The access token has been obtained for wrong audience or resource '"
                  + audience
                  + "'. It should exactly match with one of the allowed audiences '"
                  + armAudience
                  + "'."));
    }
    return Optional.of(
        Fault.armError("AuthenticationFailed", "Authentication failed. Bad bearer token."));
  }

  private void sendToken(HttpExchange exchange, RecordedRequest request, Map<String, String> query)
      throws IOException {
    if (!request.header("X-IDENTITY-HEADER").equals(Optional.of(identityHeader))) {
      Wire.send(
          exchange, 401, "{\"error\":\"invalid_request\",\"error_description\":\"bad header\"}");
      return;
    }
    ObjectNode token = JsonNodeFactory.instance.objectNode();
    token.put("access_token", tokenFor(query.getOrDefault("resource", "")));
    token.put("expires_on", Long.toString(Instant.now().plusSeconds(3600).getEpochSecond()));
    token.put("resource", query.getOrDefault("resource", ""));
    token.put("token_type", "Bearer");
    token.put("client_id", query.getOrDefault("client_id", "00000000-0000-0000-0000-000000000000"));
    Wire.send(exchange, 200, token.toString());
  }

  private void sendClientCredentialsToken(
      HttpExchange exchange, String tenant, Map<String, String> form) throws IOException {
    ServicePrincipal principal = servicePrincipal;
    if (principal == null
        || !principal.tenant().equals(tenant)
        || !principal.clientId().equals(form.get("client_id"))
        || !principal.clientSecret().equals(form.get("client_secret"))
        || !"client_credentials".equals(form.get("grant_type"))) {
      Wire.send(
          exchange,
          401,
          "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client"
              + " secret provided.\"}");
      return;
    }
    ObjectNode token = JsonNodeFactory.instance.objectNode();
    token.put("token_type", "Bearer");
    token.put("expires_in", 3600);
    token.put("ext_expires_in", 3600);
    token.put("access_token", tokenFor(resourceScope(form.getOrDefault("scope", ""))));
    Wire.send(exchange, 200, token.toString());
  }

  /** The resource's {@code …/.default} among the space-separated scopes MSAL sends. */
  private static String resourceScope(String scopes) {
    for (String scope : scopes.trim().split("\\s+")) {
      if (scope.endsWith("/.default")) {
        return scope;
      }
    }
    return scopes.trim();
  }

  private record ServicePrincipal(String tenant, String clientId, String clientSecret) {}
}
