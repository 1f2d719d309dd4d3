package io.azmesh.discovery.azure.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeArmTest {
  private static final String SUB = "00000000-0000-0000-0000-000000000001";
  private static final String VMS =
      "/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeArm fake;
  private HttpClient client;

  @BeforeEach
  void start() {
    fake = FakeArm.start().pageSize(2);
    client = HttpClient.newBuilder().sslContext(fake.clientSslContext()).build();
    for (int i = 0; i < 5; i++) {
      fake.add(FakeVm.builder(SUB, "rg", "vm-" + i).privateIp("10.0.0." + (i + 4)).build());
    }
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void list_pagesWithNextLinkKeepingTheQuery() throws Exception {
    URI next = fake.endpoint().resolve(VMS + "?api-version=2025-04-01");
    int pages = 0;
    int vms = 0;
    while (next != null) {
      JsonNode page = JSON.readTree(get(next, fake.accessToken()).body());
      pages++;
      vms += page.get("value").size();
      next = page.hasNonNull("nextLink") ? URI.create(page.get("nextLink").asText()) : null;
      if (next != null) {
        assertThat(next.getRawQuery()).startsWith("api-version=2025-04-01&$skiptoken=");
      }
    }

    assertThat(pages).isEqualTo(3);
    assertThat(vms).isEqualTo(5);
    assertThat(fake.armRequests()).hasSize(3);
  }

  @Test
  void list_servesAzureShapesFilledIn() throws Exception {
    JsonNode vm =
        JSON.readTree(get(fake.endpoint().resolve(VMS), fake.accessToken()).body())
            .get("value")
            .get(0);

    assertThat(vm.get("id").asText())
        .endsWith("/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-0");
    assertThat(vm.at("/properties/networkProfile/networkInterfaces/0/id").asText())
        .endsWith("/providers/Microsoft.Network/networkInterfaces/vm-0-nic");
    // Untouched parts of Azure's example stay, e.g. the hardware profile.
    assertThat(vm.at("/properties/hardwareProfile/vmSize").asText()).isEqualTo("Standard_A0");

    JsonNode status =
        JSON.readTree(
                get(fake.endpoint().resolve(VMS + "?statusOnly=true"), fake.accessToken()).body())
            .get("value")
            .get(0);
    assertThat(status.at("/properties/instanceView/statuses/1/code").asText())
        .isEqualTo("PowerState/running");
    assertThat(status.has("tags")).isFalse();
  }

  @Test
  void perVmGetIsNotServedButRecorded() throws Exception {
    HttpResponse<String> response =
        get(
            fake.endpoint()
                .resolve(
                    "/subscriptions/"
                        + SUB
                        + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-0"),
            fake.accessToken());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(fake.armRequests())
        .singleElement()
        .extracting(RecordedRequest::method)
        .isEqualTo("GET");
  }

  @Test
  void armRequiresTheBearerToken() throws Exception {
    assertThat(get(fake.endpoint().resolve(VMS), null).statusCode()).isEqualTo(401);
    assertThat(get(fake.endpoint().resolve(VMS), "other").statusCode()).isEqualTo(401);
  }

  @Test
  void faultsAnswerTheGivenNumberOfTimes() throws Exception {
    fake.fail("/virtualMachines", Fault.throttled(7), 1);

    HttpResponse<String> throttled = get(fake.endpoint().resolve(VMS), fake.accessToken());
    HttpResponse<String> normal = get(fake.endpoint().resolve(VMS), fake.accessToken());

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("7");
    assertThat(normal.statusCode()).isEqualTo(200);
  }

  @Test
  void identityEndpointChecksItsHeader() throws Exception {
    URI token =
        URI.create(
            fake.identityEndpoint() + "?api-version=2019-08-01&resource=https%3A%2F%2Farm%2F");
    HttpResponse<String> withHeader =
        client.send(
            HttpRequest.newBuilder(token)
                .header("X-IDENTITY-HEADER", fake.identityHeader())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> without = get(token, null);

    assertThat(withHeader.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(withHeader.body());
    assertThat(body.get("access_token").asText()).isEqualTo(fake.accessToken());
    assertThat(body.get("resource").asText()).isEqualTo("https://arm/");
    assertThat(without.statusCode()).isEqualTo(401);
  }

  @Test
  void scaleSetListingsServeUniformInstances() throws Exception {
    fake.add(
        FakeScaleSet.uniform(
            SUB,
            "rg",
            "ss",
            Map.of("mesh-service", "api"),
            java.util.List.of(
                new FakeScaleSet.Instance("0", null, "running", "10.1.0.4", "20.1.0.4"))));
    String base =
        "/subscriptions/"
            + SUB
            + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss";

    JsonNode nic =
        JSON.readTree(
                get(fake.endpoint().resolve(base + "/networkInterfaces"), fake.accessToken())
                    .body())
            .at("/value/0");
    JsonNode pip =
        JSON.readTree(
                get(fake.endpoint().resolve(base + "/publicipaddresses"), fake.accessToken())
                    .body())
            .at("/value/0");

    assertThat(nic.at("/properties/ipConfigurations/0/properties/privateIPAddress").asText())
        .isEqualTo("10.1.0.4");
    assertThat(nic.at("/properties/ipConfigurations/0/properties/publicIPAddress/id").asText())
        .isEqualTo(pip.get("id").asText());
    assertThat(pip.at("/properties/ipAddress").asText()).isEqualTo("20.1.0.4");
  }

  @Test
  void resourceGroupListingServesOnlyThatGroupWithInstanceViewOnExpand() throws Exception {
    fake.add(
        FakeVm.builder(SUB, "rg-b", "other")
            .privateIp("10.0.1.4")
            .powerState("deallocated")
            .build());
    String groupVms =
        "/subscriptions/"
            + SUB
            + "/resourceGroups/RG-B/providers/Microsoft.Compute/virtualMachines";

    JsonNode plain =
        JSON.readTree(get(fake.endpoint().resolve(groupVms), fake.accessToken()).body());
    JsonNode expanded =
        JSON.readTree(
            get(fake.endpoint().resolve(groupVms + "?$expand=instanceView"), fake.accessToken())
                .body());

    assertThat(plain.get("value")).hasSize(1);
    assertThat(plain.at("/value/0/name").asText()).isEqualTo("other");
    assertThat(plain.at("/value/0/properties").has("instanceView")).isFalse();
    assertThat(expanded.at("/value/0/properties/networkProfile/networkInterfaces/0/id").asText())
        .endsWith("/networkInterfaces/other-nic");
    assertThat(expanded.at("/value/0/properties/instanceView/statuses/1/code").asText())
        .isEqualTo("PowerState/deallocated");
  }

  @Test
  void readableScopesRefuseOtherScopesWithArmsAuthorizationFailed() throws Exception {
    fake.readableScopes("/subscriptions/" + SUB + "/resourceGroups/rg");
    String groupVms =
        "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines";

    HttpResponse<String> inGroup = get(fake.endpoint().resolve(groupVms), fake.accessToken());
    HttpResponse<String> subscriptionWide = get(fake.endpoint().resolve(VMS), fake.accessToken());

    assertThat(inGroup.statusCode()).isEqualTo(200);
    assertThat(subscriptionWide.statusCode()).isEqualTo(403);
    JsonNode error = JSON.readTree(subscriptionWide.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("AuthorizationFailed");
    assertThat(error.get("message").asText())
        .isEqualTo(
            "The client '00000000-0000-0000-0000-0000000000c1' with object id"
                + " '00000000-0000-0000-0000-0000000000c1' does not have authorization to perform"
                + " action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/"
                + SUB
                + "' or the scope is invalid. If access was recently granted, please refresh your"
                + " credentials.");
  }

  @Test
  void listingInAMissingResourceGroupIsResourceGroupNotFound() throws Exception {
    fake.resourceGroup(SUB, "rg-empty");
    String prefix = "/subscriptions/" + SUB + "/resourceGroups/";
    String nics = "/providers/Microsoft.Network/networkInterfaces";

    HttpResponse<String> missing =
        get(fake.endpoint().resolve(prefix + "rg-missing" + nics), fake.accessToken());
    HttpResponse<String> empty =
        get(fake.endpoint().resolve(prefix + "rg-empty" + nics), fake.accessToken());

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).at("/error/code").asText())
        .isEqualTo("ResourceGroupNotFound");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(empty.body()).get("value")).isEmpty();
  }
}
