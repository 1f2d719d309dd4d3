package io.azmesh.discovery.azure.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /providers/Microsoft.ResourceGraph/resources}: the VM power-state query over the VMs
 * of the requested subscriptions that the caller may read, with an index that can lag behind ARM.
 */
final class ResourceGraph {
  private static final Pattern RESOURCE_GRAPH =
      Pattern.compile("^/providers/Microsoft\\.ResourceGraph/resources$", Pattern.CASE_INSENSITIVE);
  // The one query shape the fake's Resource Graph evaluates: VM power states, optionally in
  // resource groups. Anything else is refused, so a client cannot drift from it unnoticed.
  private static final Pattern RESOURCE_GRAPH_QUERY =
      Pattern.compile(
          "^Resources\\s*\\|\\s*where type =~ 'microsoft\\.compute/virtualmachines'"
              + "(?:\\s*\\|\\s*where resourceGroup in~ \\(([^)]*)\\))?"
              + "\\s*\\|\\s*project id, powerState ="
              + " tostring\\(properties\\.extended\\.instanceView\\.powerState\\.code\\)"
              + "(\\s*\\|\\s*(?:order|sort) by id(?: asc)?)?$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FakeWorld world;
  private final Paging paging;
  private final Map<String, Optional<String>> lag = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private volatile int maxPageSize = 1000;
  private volatile boolean withoutAccess;
  private volatile boolean truncates;

  ResourceGraph(FakeWorld world, Paging paging) {
    this.world = world;
    this.paging = paging;
  }

  /** The skip token a Resource Graph request body carries, if any. */
  static String skipTokenOf(String body) {
    try {
      JsonNode options = JSON.readTree(body.isEmpty() ? "{}" : body).path("options");
      return options.hasNonNull("$skipToken") ? options.get("$skipToken").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  static boolean isQuery(RecordedRequest request) {
    return RESOURCE_GRAPH.matcher(request.path()).matches() && request.method().equals("POST");
  }

  void lags(String vmName, String powerState) {
    lag.put(vmName.toLowerCase(Locale.ROOT), Optional.ofNullable(powerState));
  }

  void caughtUp() {
    lag.clear();
    withoutAccess = false;
    truncates = false;
  }

  void maxPageSize(int rows) {
    if (rows < 1 || rows > 1000) {
      throw new IllegalArgumentException(
          "Resource Graph page size (" + rows + ") must be between 1 and 1000");
    }
    this.maxPageSize = rows;
  }

  void withoutAccess() {
    this.withoutAccess = true;
  }

  void truncates() {
    this.truncates = true;
  }

  /**
   * Evaluates the one query shape the provider sends, and pages by {@code $skipToken} ({@code $top}
   * rows, 100 by default, at most 1,000).
   */
  void answer(HttpExchange exchange, String body) throws IOException {
    JsonNode request = JSON.readTree(body.isEmpty() ? "{}" : body);
    String query = request.path("query").asText("").strip();
    Matcher shape = RESOURCE_GRAPH_QUERY.matcher(query);
    if (!shape.matches()) {
      Wire.send(
          exchange,
          400,
          Fault.armError(
              "BadRequest",
              "The fake Resource Graph evaluates only the azure provider's power-state query,"
                  + " not: "
                  + query));
      return;
    }
    List<String> subscriptions = new ArrayList<>();
    request.path("subscriptions").forEach(sub -> subscriptions.add(sub.asText()));
    if (subscriptions.isEmpty()) {
      Wire.send(exchange, 400, Fault.armError("BadRequest", "Please specify subscriptions."));
      return;
    }
    List<String> groups = new ArrayList<>();
    if (shape.group(1) != null) {
      Matcher quoted = QUOTED.matcher(shape.group(1));
      while (quoted.find()) {
        groups.add(quoted.group(1));
      }
    }
    List<ObjectNode> rows = new ArrayList<>();
    for (FakeVm vm : withoutAccess ? List.<FakeVm>of() : world.vms) {
      boolean wanted =
          subscriptions.stream().anyMatch(vm.subscription()::equalsIgnoreCase)
              && (shape.group(1) == null
                  || groups.stream().anyMatch(vm.resourceGroup()::equalsIgnoreCase))
              && world.refusedScope(vm.id()).isEmpty();
      Optional<String> lagging = lag.get(vm.name().toLowerCase(Locale.ROOT));
      if (!wanted || (lagging != null && lagging.isEmpty())) {
        continue;
      }
      Optional<String> state =
          lagging != null ? lagging : vm.powerState().filter(code -> !world.powerStateWithheld(vm));
      ObjectNode row = JsonNodeFactory.instance.objectNode();
      row.put("id", vm.id());
      row.put("powerState", state.map(code -> "PowerState/" + code).orElse(""));
      rows.add(row);
    }
    if (shape.group(2) == null) {
      // Paging documentation: without a sort on a unique column, pages can repeat or miss rows.
      Collections.shuffle(rows, new Random(queries.incrementAndGet()));
    }
    JsonNode options = request.path("options");
    int top = Math.min(maxPageSize, Math.max(1, options.path("$top").asInt(100)));
    String skipToken = options.hasNonNull("$skipToken") ? options.get("$skipToken").asText() : null;
    int skip = paging.offsetOf(skipToken);
    int end = Math.min(rows.size(), skip + top);
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("totalRecords", rows.size());
    response.put("count", end - Math.min(skip, end));
    response.put("resultTruncated", Boolean.toString(truncates && end < rows.size()));
    if (end < rows.size() && !truncates) {
      response.put(
          "$skipToken",
          paging.issueSkipToken(
              end, paging.pageOf(skipToken) + 1, rows.get(end - 1).path("id").asText()));
    }
    ArrayNode data = response.putArray("data");
    boolean flip = paging.flipThisListing();
    rows.subList(Math.min(skip, end), end).forEach(row -> data.add(Paging.cased(row, flip)));
    response.putArray("facets");
    Wire.send(exchange, 200, response.toString());
  }
}
