package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real azure-identity chain, in a child JVM: azure-identity (through MSAL) reads the managed
 * identity's environment variables from the process environment, which a test cannot set
 * in-process. The child also trusts the fake only through {@code javax.net.ssl.trustStore}, the way
 * an operator trusts a private CA.
 */
class ManagedIdentityTest {
  @TempDir Path dir;
  private FakeArm fake;

  @BeforeEach
  void startFake() {
    fake = FakeArm.start();
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  private List<String> trustStoreProperties() {
    return List.of(
        "-Djavax.net.ssl.trustStore=" + fake.writeTrustStore(dir),
        "-Djavax.net.ssl.trustStorePassword=" + FakeArm.TRUST_STORE_PASSWORD,
        "-Djavax.net.ssl.trustStoreType=PKCS12");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private List<String> settings() {
    return List.of("subscription=" + SUB_A, "arm-endpoint=" + fake.endpoint(), "timeout=60s");
  }

  @Test
  void discover_defaultCredentialGetsItsTokenFromTheAppServiceIdentityEndpoint() throws Exception {
    ChildJvm child =
        new ChildJvm(
            Map.of(
                "IDENTITY_ENDPOINT", fake.identityEndpoint().toString(),
                "IDENTITY_HEADER", fake.identityHeader()),
            trustStoreProperties());

    ChildJvm.Result result = child.discover(settings());

    assertThat(result.lines()).contains("instance vm-0 10.0.0.4", "apiCalls 4");
    assertThat(result.exitCode()).isZero();
    List<RecordedRequest> tokenRequests =
        fake.requests().stream().filter(r -> r.path().equals("/msi/token")).toList();
    assertThat(tokenRequests)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.query())
                    .contains(
                        "resource="
                            + URLEncoder.encode(
                                fake.endpoint().toString(), StandardCharsets.UTF_8)));
  }

  @Test
  void discover_withoutAnyIdentityFailsListingWhatWasTried() throws Exception {
    // Off Azure, nothing answers at the IMDS address; this sandbox's network does answer there, so
    // point IMDS at a closed local port to stand for a machine without managed identity.
    ChildJvm child =
        new ChildJvm(
            Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + closedPort()),
            trustStoreProperties());

    ChildJvm.Result result = child.discover(settings());

    assertThat(result.exitCode()).isEqualTo(2);
    String error =
        result.lines().stream().filter(l -> l.startsWith("error ")).findFirst().orElseThrow();
    assertThat(error)
        .startsWith(
            "error auth: azure auth default could not get a token for "
                + fake.endpoint()
                + "/.default: ")
        .contains("EnvironmentCredential", "ManagedIdentityCredential", "AzureCliCredential");
    assertThat(fake.armRequests()).isEmpty();
  }
}
