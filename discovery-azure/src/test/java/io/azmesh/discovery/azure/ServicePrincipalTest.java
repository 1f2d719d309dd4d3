package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code ClientSecretCredential} against the fake acting as the Entra ID authority. */
class ServicePrincipalTest {
  private static final String TENANT = "tenant-1";
  private static final String CLIENT = "client-1";

  @TempDir Path dir;
  private FakeArm fake;
  private FakeArmConnection connection;

  @BeforeEach
  void startFake() {
    fake = FakeArm.start().servicePrincipal(TENANT, CLIENT, "s3cret");
    fake.add(FakeVm.builder(SUB_A, "rg", "vm-0").privateIp("10.0.0.4").build());
    connection = new FakeArmConnection(fake);
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  /** The fake's config, as the service principal whose secret is in a file. */
  private AzureDiscoveryConfig.Builder withSecret(String secret) throws Exception {
    Path secretFile = Files.writeString(dir.resolve("secret"), secret + "\n");
    return connection
        .config()
        .auth(
            new AzureAuth(
                AuthMethod.SERVICE_PRINCIPAL,
                Optional.of(CLIENT),
                Optional.of(TENANT),
                Optional.of(secretFile)));
  }

  private Discovery discoverWithSecret(String secret) throws Exception {
    AzureDiscoveryConfig config = withSecret(secret).build();
    try (AzureDiscoveryProvider provider =
        AzureDiscoveryProvider.builder(config).httpClient(connection.httpClient()).build()) {
      return provider.discover();
    }
  }

  @Test
  void discover_servicePrincipalSecretFromFile() throws Exception {
    Discovery discovery = discoverWithSecret("s3cret");

    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("vm-0");
    assertThat(fake.requests())
        .filteredOn(r -> r.path().equals("/" + TENANT + "/oauth2/v2.0/token"))
        .hasSize(1);
  }

  @Test
  void discover_wrongSecretFailsAsAuthWithoutRevealingIt() {
    assertThatThrownBy(() -> discoverWithSecret("wrong-secret"))
        .isInstanceOfSatisfying(
            DiscoveryException.class,
            e -> {
              assertThat(e.causeLabel()).isEqualTo("auth");
              assertThat(e.getMessage())
                  .startsWith(
                      "azure auth service-principal could not get a token for "
                          + fake.endpoint()
                          + "/.default: ")
                  .contains("AADSTS7000215")
                  .doesNotContain("wrong-secret");
            });
    assertThat(fake.armRequests()).isEmpty();
  }

  @Test
  void discover_tokenForAnotherAudienceIsRefusedAsAuthNamingTheAudience() throws Exception {
    AzureDiscoveryConfig config =
        withSecret("s3cret")
            .endpoints(
                new ArmEndpoints(fake.endpoint(), "https://management.azure.com/", fake.endpoint()))
            .build();

    try (AzureDiscoveryProvider provider =
        AzureDiscoveryProvider.builder(config).httpClient(connection.httpClient()).build()) {
      assertThatThrownBy(provider::discover)
          .isInstanceOfSatisfying(
              DiscoveryException.class,
              e -> {
                assertThat(e.causeLabel()).isEqualTo("auth");
                assertThat(e.getMessage())
                    .startsWith(
                        "ARM at " + fake.endpoint() + " refused the token for GET /subscriptions/")
                    .contains(
                        "(HTTP 401 InvalidAuthenticationTokenAudience): it was issued for"
                            + " arm-audience https://management.azure.com/, which this ARM does"
                            + " not accept; ARM said: The access token has been obtained for"
                            + " wrong audience");
              });
    }
    assertThat(fake.armRequests()).hasSize(1);
  }

  @Test
  void create_unreadableSecretFileNamesTheFile() {
    Path missing = dir.resolve("missing");
    AzureDiscoveryConfig config =
        connection
            .config()
            .auth(
                new AzureAuth(
                    AuthMethod.SERVICE_PRINCIPAL,
                    Optional.of(CLIENT),
                    Optional.of(TENANT),
                    Optional.of(missing)))
            .build();

    assertThatThrownBy(() -> AzureDiscoveryProvider.builder(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "setting client-secret-file is '"
                + missing
                + "'; cannot read it (NoSuchFileException)");
  }
}
