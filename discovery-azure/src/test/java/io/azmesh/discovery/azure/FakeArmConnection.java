package io.azmesh.discovery.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.RecordedRequest;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/** Points the real SDK at a {@link FakeArm}: an HTTP client trusting it and its static token. */
final class FakeArmConnection {
  static final String SUB_A = "00000000-0000-0000-0000-00000000000a";
  static final String SUB_B = "00000000-0000-0000-0000-00000000000b";

  private final FakeArm fake;
  private final List<String> requestedScopes = new CopyOnWriteArrayList<>();

  FakeArmConnection(FakeArm fake) {
    this.fake = fake;
  }

  /** How a failure message names the response ARM gave {@code request}. */
  static String idsOf(RecordedRequest request) {
    return "x-ms-request-id "
        + request.requestId()
        + ", x-ms-correlation-request-id "
        + request.correlationRequestId();
  }

  /** The ids of the fake's last ARM response. */
  String lastIds() {
    List<RecordedRequest> arm = fake.armRequests();
    return idsOf(arm.get(arm.size() - 1));
  }

  /** A Netty client trusting the fake's self-signed certificate. */
  HttpClient httpClient() {
    try {
      SslContext tls = SslContextBuilder.forClient().trustManager(fake.certificate()).build();
      return new NettyAsyncHttpClientBuilder(
              reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(tls)))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot trust the fake ARM", e);
    }
  }

  /** A credential handing out the fake's token and remembering the scopes asked for. */
  TokenCredential credential() {
    return request -> {
      requestedScopes.addAll(request.getScopes());
      return Mono.just(new AccessToken(fake.accessToken(), OffsetDateTime.now().plusHours(1)));
    };
  }

  List<String> requestedScopes() {
    return List.copyOf(requestedScopes);
  }

  /** ARM, audience and authority all at the fake. */
  ArmEndpoints endpoints() {
    URI arm = fake.endpoint();
    return new ArmEndpoints(arm, arm.toString(), arm);
  }

  /** A config for subscription A at the fake, with fast retries so tests do not wait. */
  AzureDiscoveryConfig.Builder config() {
    return AzureDiscoveryConfig.builder()
        .subscription(SUB_A)
        .endpoints(endpoints())
        .retry(new RetrySettings(2, Duration.ofMillis(10), Duration.ofMillis(50)))
        .timeout(Duration.ofSeconds(60));
  }

  /** One refresh with a provider that is closed afterwards. */
  Discovery discover(AzureDiscoveryConfig config) throws DiscoveryException {
    try (AzureDiscoveryProvider provider = provider(config)) {
      return provider.discover();
    }
  }

  AzureDiscoveryProvider provider(AzureDiscoveryConfig config) {
    return provider(config, java.time.Clock.systemUTC());
  }

  AzureDiscoveryProvider provider(AzureDiscoveryConfig config, java.time.Clock clock) {
    return AzureDiscoveryProvider.builder(config)
        .httpClient(httpClient())
        .credential(credential())
        .clock(clock)
        .build();
  }
}
