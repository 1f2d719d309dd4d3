package io.azmesh.discovery.azure.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeArmTest {
  private static final String SUB = "00000000-0000-0000-0000-000000000001";
  private static final String VMS =
      "/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines";
  private static final String RESOURCE_GRAPH = "/providers/Microsoft.ResourceGraph/resources";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POWER_STATES =
      "Resources | where type =~ 'microsoft.compute/virtualmachines'"
          + " | project id, powerState = tostring(properties.extended.instanceView.powerState.code)";
  private static final String SORTED = " | order by id asc";

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

  /** A GET as the SDK sends it: with an {@code api-version} (added when {@code uri} has none). */
  private HttpResponse<String> get(URI uri, String token) throws Exception {
    return getExactly(
        uri.getRawQuery() != null && uri.getRawQuery().contains("api-version=")
            ? uri
            : URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "api-version=2024-11-01"),
        token);
  }

  private HttpResponse<String> getExactly(URI uri, String token) throws Exception {
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
            fake.identityEndpoint()
                + "?api-version=2019-08-01&resource="
                + java.net.URLEncoder.encode(
                    fake.endpoint().toString(), java.nio.charset.StandardCharsets.UTF_8));
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
    assertThat(body.get("resource").asText()).isEqualTo(fake.endpoint().toString());
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
        .isEqualToIgnoringCase(pip.get("id").asText());
    assertThat(pip.at("/properties/ipAddress").asText()).isEqualTo("20.1.0.4");
  }

  @Test
  void expandWithoutFilter_isRefusedWithArmsBadRequestByDefault() throws Exception {
    String groupVms =
        "/subscriptions/" + SUB + "/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines";

    HttpResponse<String> expanded =
        get(fake.endpoint().resolve(groupVms + "?$expand=instanceView"), fake.accessToken());

    assertThat(expanded.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(expanded.body()).get("error").get("message").asText())
        .isEqualTo(
            "Expand Instance View is only supported when Virtual Machine Scale Set resource"
                + " filter is applied.");
  }

  @Test
  void expandWithoutFilter_ignoredModeLeavesTheInstanceViewOut() throws Exception {
    fake.expandWithoutFilter(FakeArm.ExpandWithoutFilter.IGNORE);
    String groupVms =
        "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines";

    JsonNode page =
        JSON.readTree(
            get(fake.endpoint().resolve(groupVms + "?$expand=instanceView"), fake.accessToken())
                .body());

    assertThat(page.get("value")).hasSize(2);
    assertThat(page.at("/value/0/properties").has("instanceView")).isFalse();
  }

  @Test
  void expandWithTheDocumentedFilter_servesTheFlexibleScaleSetsVmsWithInstanceView()
      throws Exception {
    fake.add(FakeScaleSet.flexible(SUB, "rg", "flex", Map.of()));
    fake.add(
        FakeVm.builder(SUB, "rg", "flex_1")
            .flexibleScaleSet("flex")
            .powerState("stopped")
            .privateIp("10.0.3.4")
            .build());
    String filter =
        java.net.URLEncoder.encode(
            "virtualMachineScaleSet/id eq '/subscriptions/"
                + SUB
                + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/flex'",
            java.nio.charset.StandardCharsets.UTF_8);

    JsonNode page =
        JSON.readTree(
            get(
                    fake.endpoint().resolve(VMS + "?$expand=instanceView&$filter=" + filter),
                    fake.accessToken())
                .body());

    assertThat(page.get("value")).hasSize(1);
    assertThat(page.at("/value/0/properties/instanceView/statuses/1/code").asText())
        .isEqualTo("PowerState/stopped");
  }

  @Test
  void flexibleScaleSetInstanceListing_isOperationNotAllowed() throws Exception {
    fake.add(FakeScaleSet.flexible(SUB, "rg", "flex", Map.of()));

    HttpResponse<String> response =
        get(
            fake.endpoint()
                .resolve(
                    "/subscriptions/"
                        + SUB
                        + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/flex/virtualMachines"),
            fake.accessToken());

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("OperationNotAllowed");
  }

  @Test
  void defaultPages_holdFiftyToThreeHundredAndLinkWithOpaqueSkipTokens() throws Exception {
    fake.pageSizes(50, 300).clearWorld();
    for (int i = 0; i < 1000; i++) {
      fake.add(FakeVm.builder(SUB, "rg", "vm-" + i).privateIp("10.0.0.4").build());
    }
    URI next = fake.endpoint().resolve(VMS + "?api-version=2025-04-01");
    List<Integer> sizes = new ArrayList<>();
    while (next != null) {
      JsonNode page = JSON.readTree(get(next, fake.accessToken()).body());
      sizes.add(page.get("value").size());
      next = page.hasNonNull("nextLink") ? URI.create(page.get("nextLink").asText()) : null;
      if (next != null) {
        assertThat(next.getRawQuery())
            .matches("api-version=2025-04-01&\\$skiptoken=[^&]+!/Subscriptions/.+");
      }
    }

    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
    assertThat(sizes.subList(0, sizes.size() - 1))
        .allSatisfy(n -> assertThat(n).isBetween(50, 300));
  }

  @Test
  void unknownSkipToken_isABadRequest() throws Exception {
    HttpResponse<String> response =
        get(fake.endpoint().resolve(VMS + "?$skiptoken=made-up"), fake.accessToken());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("InvalidSkipToken");
  }

  @Test
  void groupCase_flipsTheResourceGroupSegmentBetweenListings() throws Exception {
    fake.pageSize(100);
    String first =
        JSON.readTree(get(fake.endpoint().resolve(VMS), fake.accessToken()).body())
            .at("/value/0/id")
            .asText();
    String second =
        JSON.readTree(get(fake.endpoint().resolve(VMS), fake.accessToken()).body())
            .at("/value/0/id")
            .asText();

    assertThat(first).contains("/resourceGroups/rg/");
    assertThat(second).contains("/resourceGroups/RG/").isEqualToIgnoringCase(first);
  }

  @Test
  void everyArmResponse_carriesRequestIdsAndRateLimitHeaders() throws Exception {
    fake.rateLimitRemaining(100, 20);

    HttpResponse<String> response = get(fake.endpoint().resolve(VMS), fake.accessToken());

    RecordedRequest recorded = fake.armRequests().get(0);
    assertThat(response.headers().firstValue("x-ms-request-id")).contains(recorded.requestId());
    assertThat(response.headers().firstValue("x-ms-correlation-request-id"))
        .contains(recorded.correlationRequestId());
    assertThat(response.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads"))
        .contains("99");
    assertThat(response.headers().firstValue("x-ms-ratelimit-remaining-resource"))
        .contains("Microsoft.Compute/HighCostGet3Min;19,Microsoft.Compute/HighCostGet30Min;1198");
  }

  @Test
  void computeThrottling_isOperationNotAllowedWithTooManyRequestsAndRetryAfter() throws Exception {
    fake.fail("/virtualMachines", Fault.computeThrottled(1200), 1);

    HttpResponse<String> response = get(fake.endpoint().resolve(VMS), fake.accessToken());

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).contains("1200");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("OperationNotAllowed");
    assertThat(error.at("/details/0/code").asText()).isEqualTo("TooManyRequests");
    assertThat(response.headers().firstValue("x-ms-ratelimit-remaining-resource"))
        .contains("Microsoft.Compute/HighCostGet3Min;0,Microsoft.Compute/HighCostGet30Min;1043");
  }

  @Test
  void nicInAnotherGroup_isListedInThatGroup() throws Exception {
    fake.clearWorld();
    fake.add(
        FakeVm.builder(SUB, "rg-app", "web")
            .nics(
                FakeNic.primary("web-nic", FakeIpConfig.withPublic("10.0.0.4", "20.0.0.4"))
                    .inResourceGroup("rg-net")
                    .withPublicIpsIn("rg-ip"))
            .build());
    String prefix = "/subscriptions/" + SUB + "/resourceGroups/";

    JsonNode inApp = getJson(prefix + "rg-app/providers/Microsoft.Network/networkInterfaces");
    JsonNode inNet = getJson(prefix + "rg-net/providers/Microsoft.Network/networkInterfaces");
    JsonNode ips = getJson(prefix + "rg-ip/providers/Microsoft.Network/publicIPAddresses");

    assertThat(inApp.get("value")).isEmpty();
    assertThat(inNet.at("/value/0/properties/virtualMachine/id").asText())
        .endsWithIgnoringCase(
            "/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web");
    assertThat(ips.at("/value/0/properties/ipAddress").asText()).isEqualTo("20.0.0.4");
  }

  @Test
  void resourceGraph_returnsOnlyReadableRowsPagedBySkipToken() throws Exception {
    fake.clearWorld();
    for (int i = 0; i < 5; i++) {
      fake.add(FakeVm.builder(SUB, "rg", "vm-" + i).powerState("deallocated").build());
    }
    fake.add(FakeVm.builder(SUB, "rg-secret", "hidden").build());
    fake.readableScopes("/subscriptions/" + SUB + "/resourceGroups/rg");

    List<String> ids = new ArrayList<>();
    String skipToken = null;
    do {
      JsonNode page = graphPage(POWER_STATES + SORTED, 2, skipToken);
      page.get("data").forEach(row -> ids.add(row.get("id").asText()));
      assertThat(page.at("/data/0/powerState").asText()).isEqualTo("PowerState/deallocated");
      skipToken = page.hasNonNull("$skipToken") ? page.get("$skipToken").asText() : null;
    } while (skipToken != null);

    assertThat(ids).hasSize(5).doesNotHaveDuplicates().noneMatch(id -> id.endsWith("/hidden"));
    assertThat(ids).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
    assertThat(fake.armRequests()).hasSize(3).allMatch(RecordedRequest::isResourceGraph);
  }

  @Test
  void resourceGraph_pagesOfAnUnsortedQueryComeInADifferentOrderOnEveryCall() throws Exception {
    List<List<String>> firstPages = new ArrayList<>();
    for (int call = 0; call < 4; call++) {
      List<String> ids = new ArrayList<>();
      graphPage(POWER_STATES, 5, null).get("data").forEach(row -> ids.add(row.get("id").asText()));
      firstPages.add(ids);
    }

    assertThat(firstPages).allSatisfy(ids -> assertThat(ids).hasSize(5).doesNotHaveDuplicates());
    assertThat(firstPages.stream().distinct()).hasSizeGreaterThan(1);
  }

  @Test
  void resourceGraph_quotaCountsDownAndAnswers429OnceSpent() throws Exception {
    fake.resourceGraphQuota(2, Duration.ofMinutes(1));

    HttpResponse<String> first = graphResponse(POWER_STATES, 5, null);
    HttpResponse<String> second = graphResponse(POWER_STATES, 5, null);
    HttpResponse<String> third = graphResponse(POWER_STATES, 5, null);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ms-user-quota-remaining")).contains("1");
    assertThat(first.headers().firstValue("x-ms-user-quota-resets-after"))
        .hasValueSatisfying(v -> assertThat(v).matches("00:0[01]:\\d\\d"));
    assertThat(second.headers().firstValue("x-ms-user-quota-remaining")).contains("0");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("x-ms-user-quota-remaining")).contains("0");
    assertThat(JSON.readTree(third.body()).at("/error/code").asText()).isEqualTo("RateLimiting");
  }

  @Test
  void resourceGraph_truncatedAnswerHasNoSkipToken() throws Exception {
    fake.resourceGraphTruncates();

    JsonNode page = graphPage(POWER_STATES + SORTED, 2, null);

    assertThat(page.get("resultTruncated").asText()).isEqualTo("true");
    assertThat(page.get("count").asInt()).isEqualTo(2);
    assertThat(page.get("totalRecords").asInt()).isEqualTo(5);
    assertThat(page.has("$skipToken")).isFalse();
  }

  @Test
  void resourceGraph_withoutAccessReturnsNoRowsWhileArmListsTheVms() throws Exception {
    fake.resourceGraphWithoutAccess();

    assertThat(graphPage(POWER_STATES, 5, null).get("data")).isEmpty();
    assertThat(getJson(VMS).get("value")).isNotEmpty();
  }

  @Test
  void powerStateGap_leavesThePowerStateOutOfTheNextAnswersOnly() throws Exception {
    fake.pageSize(10);
    fake.powerStateGap("vm-1", 1);
    String statusOnly = VMS + "?statusOnly=true";

    JsonNode gap = getJson(statusOnly);
    JsonNode after = getJson(statusOnly);

    assertThat(gap.at("/value/1/properties/instanceView/statuses").toString())
        .contains("ProvisioningState/succeeded")
        .doesNotContain("PowerState/");
    assertThat(after.at("/value/1/properties/instanceView/statuses").toString())
        .contains("PowerState/running");
  }

  @Test
  void spentSubscriptionReadsAreAnswered429WithRetryAfter() throws Exception {
    fake.rateLimitRemaining(1, 100);

    HttpResponse<String> last = get(fake.endpoint().resolve(VMS), fake.accessToken());
    HttpResponse<String> over = get(fake.endpoint().resolve(VMS), fake.accessToken());

    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(last.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads"))
        .contains("0");
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void spentComputeBudgetIsAnsweredWithComputesThrottling() throws Exception {
    fake.rateLimitRemaining(100, 1);

    HttpResponse<String> last = get(fake.endpoint().resolve(VMS), fake.accessToken());
    HttpResponse<String> over = get(fake.endpoint().resolve(VMS), fake.accessToken());

    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(over.body()).at("/error/details/0/code").asText())
        .isEqualTo("TooManyRequests");
    assertThat(over.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void armRequestWithoutApiVersion_isRefusedAsArmRefusesIt() throws Exception {
    HttpResponse<String> response = getExactly(fake.endpoint().resolve(VMS), fake.accessToken());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("MissingApiVersionParameter");
  }

  @Test
  void tokenForAnotherAudience_isRefused401InvalidAuthenticationTokenAudience() throws Exception {
    String vault = identityToken("https://vault.azure.net");
    String arm = identityToken(fake.endpoint().toString());

    HttpResponse<String> refused = get(fake.endpoint().resolve(VMS), vault);
    HttpResponse<String> accepted = get(fake.endpoint().resolve(VMS), arm);

    assertThat(vault).isNotEqualTo(fake.accessToken());
    assertThat(refused.statusCode()).isEqualTo(401);
    JsonNode error = JSON.readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("InvalidAuthenticationTokenAudience");
    assertThat(error.get("message").asText()).contains("'https://vault.azure.net'");
    assertThat(arm).isEqualTo(fake.accessToken());
    assertThat(accepted.statusCode()).isEqualTo(200);
  }

  @Test
  void failPage_failsOnlyThatPageOfTheListing() throws Exception {
    fake.failPage("/virtualMachines", 2, Fault.status(500, "InternalServerError", "boom"), 1);

    List<Integer> statuses = new ArrayList<>();
    URI next = fake.endpoint().resolve(VMS + "?api-version=2024-11-01");
    URI failed = null;
    while (next != null) {
      HttpResponse<String> response = get(next, fake.accessToken());
      statuses.add(response.statusCode());
      if (response.statusCode() != 200) {
        failed = next;
        continue; // a client retries the same page
      }
      JsonNode page = JSON.readTree(response.body());
      next = page.hasNonNull("nextLink") ? URI.create(page.get("nextLink").asText()) : null;
    }

    assertThat(statuses).containsExactly(200, 500, 200, 200);
    assertThat(failed.getRawQuery()).contains("$skiptoken=");
  }

  private String identityToken(String resource) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        fake.identityEndpoint()
                            + "?api-version=2019-08-01&resource="
                            + java.net.URLEncoder.encode(
                                resource, java.nio.charset.StandardCharsets.UTF_8)))
                .header("X-IDENTITY-HEADER", fake.identityHeader())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("access_token").asText();
  }

  private JsonNode graphPage(String query, int top, String skipToken) throws Exception {
    HttpResponse<String> response = graphResponse(query, top, skipToken);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> graphResponse(String query, int top, String skipToken)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("subscriptions").add(SUB);
    body.put("query", query);
    body.putObject("options").put("$top", top).put("$skipToken", skipToken);
    return post(RESOURCE_GRAPH, body.toString());
  }

  @Test
  void resourceGraph_refusesQueriesItDoesNotEvaluate() throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("subscriptions").add(SUB);
    body.put("query", "Resources | take 1");

    HttpResponse<String> response = post(RESOURCE_GRAPH, body.toString());

    assertThat(response.statusCode()).isEqualTo(400);
  }

  private JsonNode getJson(String path) throws Exception {
    return JSON.readTree(get(fake.endpoint().resolve(path), fake.accessToken()).body());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(fake.endpoint().resolve(path + "?api-version=2021-03-01"))
            .header("Authorization", "Bearer " + fake.accessToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
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
