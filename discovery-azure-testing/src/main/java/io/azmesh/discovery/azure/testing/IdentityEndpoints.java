package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where tokens come from: the App Service managed-identity endpoint and the Entra ID authority's
 * client-credentials grant for one service principal; both hand out the one token ARM accepts.
 */
final class IdentityEndpoints {
  static final String TOKEN_PATH = "/msi/token";
  private static final Pattern AAD_TOKEN = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");

  final String accessToken = "fake-arm-token-" + UUID.randomUUID();
  final String identityHeader = "fake-identity-header-" + UUID.randomUUID();
  private volatile ServicePrincipal servicePrincipal;

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

  /** Whether an ARM request carries the token this fake handed out. */
  boolean authenticated(RecordedRequest request) {
    return request.header("Authorization").equals(Optional.of("Bearer " + accessToken));
  }

  private void sendToken(HttpExchange exchange, RecordedRequest request, Map<String, String> query)
      throws IOException {
    if (!request.header("X-IDENTITY-HEADER").equals(Optional.of(identityHeader))) {
      Wire.send(
          exchange, 401, "{\"error\":\"invalid_request\",\"error_description\":\"bad header\"}");
      return;
    }
    ObjectNode token = JsonNodeFactory.instance.objectNode();
    token.put("access_token", accessToken);
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
    token.put("access_token", accessToken);
    Wire.send(exchange, 200, token.toString());
  }

  private record ServicePrincipal(String tenant, String clientId, String clientSecret) {}
}
