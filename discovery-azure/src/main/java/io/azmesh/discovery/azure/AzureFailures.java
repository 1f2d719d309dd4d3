package io.azmesh.discovery.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementException;
import io.azmesh.discovery.DiscoveryException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Turns what the SDK throws into a {@link DiscoveryException} with a stable cause label ({@code
 * throttled}, {@code auth}, {@code azure-error}, {@code malformed-response}, {@code unreachable})
 * and a message naming the request and what to do.
 */
final class AzureFailures {
  private final AzureDiscoveryConfig config;

  AzureFailures(AzureDiscoveryConfig config) {
    this.config = config;
  }

  DiscoveryException classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DiscoveryException known) {
        return known;
      }
      if (t instanceof ThrottledException throttled) {
        return new DiscoveryException("throttled", throttled.getMessage(), failure);
      }
      if (isTokenFailure(t)) {
        return new DiscoveryException(
            "auth",
            "azure auth "
                + config.auth().method().settingName()
                + " could not get a token for "
                + config.endpoints().scope()
                + ": "
                + oneLine(t.getMessage()),
            failure);
      }
      if (t instanceof HttpResponseException response && response.getResponse() != null) {
        return fromResponse(response, failure);
      }
      if (t instanceof SSLException) {
        return new DiscoveryException(
            "unreachable",
            "TLS with ARM at "
                + config.endpoints().resourceManager()
                + " failed ("
                + t.getMessage()
                + "); for a private CA set javax.net.ssl.trustStore",
            failure);
      }
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException) {
        return new DiscoveryException(
            "unreachable",
            "cannot reach ARM at " + config.endpoints().resourceManager() + ": " + t.getMessage(),
            failure);
      }
      if (isMalformedJson(t)) {
        return new DiscoveryException(
            "malformed-response",
            "ARM sent a response that is not valid JSON: " + t.getMessage(),
            failure);
      }
    }
    return new DiscoveryException(
        "azure-error",
        "azure discovery failed: "
            + failure.getClass().getSimpleName()
            + ": "
            + failure.getMessage(),
        failure);
  }

  private DiscoveryException fromResponse(HttpResponseException e, Throwable failure) {
    HttpResponse response = e.getResponse();
    int status = response.getStatusCode();
    String code = code(e);
    String request = describe(response.getRequest());
    String afterRetries = ", still after " + config.retry().maxRetries() + " retries";
    String ids = "; " + RequestIds.of(response.getHeaders()).describe();
    if (status >= 200 && status < 300) {
      return new DiscoveryException(
          "malformed-response",
          "ARM answered "
              + request
              + " with HTTP "
              + status
              + " but a body that is not a valid listing: "
              + e.getMessage()
              + ids,
          failure);
    }
    if (status == 429) {
      return new DiscoveryException(
          "throttled",
          "ARM throttled " + request + " (HTTP 429" + code + ")" + afterRetries + ids,
          failure);
    }
    if (status == 401 && code.trim().equalsIgnoreCase("InvalidAuthenticationTokenAudience")) {
      return new DiscoveryException(
          "auth",
          "ARM at "
              + config.endpoints().resourceManager()
              + " refused the token for "
              + request
              + " (HTTP 401"
              + code
              + "): it was issued for arm-audience "
              + config.endpoints().audience()
              + ", which this ARM does not accept; ARM said: "
              + oneLine(((ManagementException) e).getValue().getMessage())
              + ids,
          failure);
    }
    if (status == 401) {
      return new DiscoveryException(
          "auth",
          "ARM rejected the token for "
              + request
              + " (HTTP 401"
              + code
              + "); check the tenant and that arm-audience is "
              + config.endpoints().audience()
              + ids,
          failure);
    }
    if (status == 403) {
      return new DiscoveryException(
          "auth",
          "the identity may not read "
              + request
              + " (HTTP 403"
              + code
              + "); "
              + readerHint(response.getRequest())
              + ids,
          failure);
    }
    if (status == 400 && isUnsupportedApiVersion(code)) {
      return new DiscoveryException(
          "azure-error",
          "ARM at "
              + config.endpoints().resourceManager()
              + " does not serve "
              + request
              + " at api-version "
              + apiVersion(response.getRequest())
              + " (HTTP 400"
              + code
              + "): the provider sends the api-versions of the Azure SDK it is built with, which"
              + " clouds with older API versions (such as Azure Stack Hub) do not have"
              + ids,
          failure);
    }
    boolean retried = status == 408 || (status >= 500 && status != 501 && status != 505);
    return new DiscoveryException(
        "azure-error",
        "ARM answered "
            + request
            + " with HTTP "
            + status
            + code
            + (retried ? afterRetries : "")
            + ids,
        failure);
  }

  /**
   * A failed call for a problem's reason: {@code GET <path> answered HTTP 404 ResourceNotFound;
   * x-ms-request-id ..., x-ms-correlation-request-id ...}.
   */
  static String answered(HttpResponseException e) {
    HttpResponse response = e.getResponse();
    return describe(response.getRequest())
        + " answered HTTP "
        + response.getStatusCode()
        + code(e)
        + "; "
        + RequestIds.of(response.getHeaders()).describe();
  }

  /** ARM's error code with a leading space, e.g. {@code " ResourceNotFound"}, or empty. */
  private static String code(HttpResponseException e) {
    return e instanceof ManagementException management
            && management.getValue() != null
            && management.getValue().getCode() != null
        ? " " + management.getValue().getCode()
        : "";
  }

  private static boolean isUnsupportedApiVersion(String code) {
    String trimmed = code.trim();
    return trimmed.equalsIgnoreCase("InvalidApiVersionParameter")
        || trimmed.equalsIgnoreCase("NoRegisteredProviderFound")
        || trimmed.equalsIgnoreCase("InvalidResourceType");
  }

  private static String apiVersion(HttpRequest request) {
    String query = request == null ? null : request.getUrl().getQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("api-version=")) {
          return pair.substring("api-version=".length());
        }
      }
    }
    return "unknown";
  }

  /** Which role at which scope lets the identity make the refused listing. */
  private String readerHint(HttpRequest request) {
    Optional<ListingScope> scope =
        request == null ? Optional.empty() : ListingScope.ofPath(request.getUrl().getPath());
    if (scope.isEmpty()) {
      return "grant it the Reader role on the subscription";
    }
    if (scope.get().resourceGroup().isPresent()) {
      String group = scope.get().resourceGroup().get();
      String hint =
          "grant it the Reader role on " + scope.get().describe() + " (or on the subscription)";
      // A plain group name applies to every subscription; it may exist in only one of them.
      boolean givenForEverySubscription =
          config.subscriptions().size() > 1
              && config.resourceGroups().stream().anyMatch(group::equalsIgnoreCase);
      return givenForEverySubscription
          ? hint
              + ", or, if the group is in another subscription only, give it as --resource-group"
              + " <subscription-id>/"
              + group
          : hint;
    }
    return "grant it the Reader role on "
        + scope.get().describe()
        + ", or, if it has Reader only on resource groups, name them with --resource-group so"
        + " that each is listed on its own";
  }

  /** The identity chain reports one line per credential it tried; keep them in one message. */
  private static String oneLine(String message) {
    return String.valueOf(message)
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .collect(Collectors.joining(" | "));
  }

  /** E.g. {@code GET /subscriptions/.../virtualMachines}: the query may hold skip tokens. */
  static String describe(HttpRequest request) {
    if (request == null) {
      return "a request";
    }
    return request.getHttpMethod() + " " + request.getUrl().getPath();
  }

  /**
   * azure-identity reports an unusable credential as {@link ClientAuthenticationException}; some
   * credentials let MSAL's own exceptions (such as a rejected client secret) through unwrapped.
   */
  private static boolean isTokenFailure(Throwable t) {
    boolean armResponse =
        t instanceof HttpResponseException response && response.getResponse() != null;
    return (t instanceof ClientAuthenticationException && !armResponse)
        || t.getClass().getName().startsWith("com.microsoft.aad.msal4j.");
  }

  private static boolean isMalformedJson(Throwable t) {
    String type = t.getClass().getName();
    return type.startsWith("com.fasterxml.jackson.core.")
        || type.startsWith("com.azure.json.")
        || (t instanceof IOException && String.valueOf(t.getMessage()).contains("JSON"));
  }
}
