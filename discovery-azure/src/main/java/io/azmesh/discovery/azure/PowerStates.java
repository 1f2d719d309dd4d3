package io.azmesh.discovery.azure;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.resourcegraph.fluent.ResourceGraphClient;
import com.azure.resourcemanager.resourcegraph.fluent.models.QueryResponseInner;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import com.azure.resourcemanager.resourcegraph.models.ResultTruncated;
import io.azmesh.discovery.DiscoveryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The VM power states of one refresh, each source read at most twice and never per VM: a
 * subscription's {@code statusOnly=true} listing, or one Azure Resource Graph query for every scope
 * that {@link DiscoveryMode} sends there (ordered by {@code id}, paged by {@code $skipToken}, 1,000
 * rows a page, paced by Resource Graph's per-user quota). A source that leaves a listed VM's power
 * state out is read once more in the same refresh, as Azure's states page recommends.
 */
final class PowerStates {
  /** Rows per Resource Graph page: its maximum. */
  static final int GRAPH_PAGE = 1000;

  private final AzureDiscoveryConfig config;
  private final Map<String, ArmClients> clients;
  private final Context context;
  private final Map<String, Map<String, String>> statusOnly = new HashMap<>();
  private final Set<String> reread = new HashSet<>();
  private Map<String, String> graph;

  PowerStates(AzureDiscoveryConfig config, Map<String, ArmClients> clients, Context context) {
    this.config = config;
    this.clients = clients;
    this.context = context;
  }

  /**
   * The VM's {@code PowerState/...} code as its scope's source reports it, if it reports one; a
   * source that has none for it is read once more (once per refresh).
   */
  Optional<String> codeOf(ListingScope scope, String vmId) throws DiscoveryException {
    Optional<String> code = lookUp(scope, vmId);
    String source = sourceKey(scope);
    if (code.isEmpty() && reread.add(source)) {
      if (config.mode().usesResourceGraph(scope)) {
        graph = queryGraph();
      } else {
        statusOnly.remove(scope.subscription());
      }
      code = lookUp(scope, vmId);
    }
    return code;
  }

  private Optional<String> lookUp(ListingScope scope, String vmId) throws DiscoveryException {
    Map<String, String> states =
        config.mode().usesResourceGraph(scope) ? graph() : statusOnly(scope.subscription());
    return Optional.ofNullable(states.get(ArmResourceId.key(vmId))).filter(code -> !code.isBlank());
  }

  private String sourceKey(ListingScope scope) {
    return config.mode().usesResourceGraph(scope) ? "graph" : "statusOnly/" + scope.subscription();
  }

  /**
   * Fails the refresh when ARM lists VMs in a scope read from Resource Graph and Resource Graph
   * returned no rows at all: that is not index lag (which misses single new VMs) but an identity
   * Resource Graph cannot see the scope with.
   */
  void requireGraphRows(ListingScope scope, int listedVms) throws DiscoveryException {
    if (listedVms == 0 || !config.mode().usesResourceGraph(scope) || !graph().isEmpty()) {
      return;
    }
    String where =
        scope
            .resourceGroup()
            .map(g -> "resource group " + g + " of subscription " + scope.subscription())
            .orElse("subscription " + scope.subscription());
    throw new DiscoveryException(
        "auth",
        "ARM lists "
            + listedVms
            + " VMs in "
            + where
            + " but Azure Resource Graph returned no rows at all: it cannot see them yet. Check"
            + " that the identity's Reader role assignment covers the scope (a new assignment can"
            + " take a while to reach Resource Graph), or set discovery-mode list-all with Reader"
            + " on the subscription");
  }

  /** Why a VM of {@code scope} has no power state, for its problem. */
  String missingReason(ListingScope scope) {
    return config.mode().usesResourceGraph(scope)
        ? "Azure Resource Graph has none for it yet (its index lags ARM, most often by seconds);"
            + " not served until it has"
        : "the statusOnly VM listing of subscription "
            + scope.subscription()
            + " reports no PowerState status for it";
  }

  /** The source that had no power state for a VM, for the note on a remembered one. */
  String missingSource(ListingScope scope) {
    return config.mode().usesResourceGraph(scope)
        ? "Azure Resource Graph has none for it"
        : "the statusOnly VM listing of subscription "
            + scope.subscription()
            + " reports no PowerState status for it";
  }

  private Map<String, String> statusOnly(String subscription) {
    return statusOnly.computeIfAbsent(
        subscription,
        s -> {
          Map<String, String> codes = new HashMap<>();
          for (VirtualMachineInner vm :
              clients.get(s).compute().getVirtualMachines().list("true", null, null, context)) {
            if (vm.id() != null && vm.instanceView() != null) {
              Machine.powerStateCode(vm.instanceView().statuses())
                  .ifPresent(code -> codes.put(ArmResourceId.key(vm.id()), code));
            }
          }
          return codes;
        });
  }

  private Map<String, String> graph() throws DiscoveryException {
    if (graph == null) {
      graph = queryGraph();
    }
    return graph;
  }

  /**
   * One query for every scope that reads Resource Graph, paged until no {@code $skipToken}; before
   * a page the quota has no room for, waits for it to reset (within the refresh's deadline).
   */
  private Map<String, String> queryGraph() throws DiscoveryException {
    List<ListingScope> scopes =
        config.scopes().stream().filter(config.mode()::usesResourceGraph).toList();
    Set<String> subscriptions = new LinkedHashSet<>();
    scopes.forEach(scope -> subscriptions.add(scope.subscription()));
    String query = query(scopes);
    ResourceGraphClient client = clients.values().iterator().next().graph();
    Map<String, String> codes = new HashMap<>();
    String skipToken = null;
    do {
      QueryRequest request =
          new QueryRequest()
              .withSubscriptions(List.copyOf(subscriptions))
              .withQuery(query)
              .withOptions(new QueryRequestOptions().withTop(GRAPH_PAGE).withSkipToken(skipToken));
      Response<QueryResponseInner> response =
          client.getResourceProviders().resourcesWithResponse(request, context);
      QueryResponseInner page = response.getValue();
      if (page.data() instanceof List<?> rows) {
        for (Object row : rows) {
          if (row instanceof Map<?, ?> columns
              && columns.get("id") instanceof String id
              && columns.get("powerState") instanceof String code) {
            codes.put(ArmResourceId.key(id), code);
          }
        }
      }
      skipToken = page.skipToken();
      boolean more = skipToken != null && !skipToken.isEmpty();
      if (!more && page.resultTruncated() == ResultTruncated.TRUE) {
        throw new DiscoveryException(
            "azure-error",
            "Azure Resource Graph answered "
                + page.count()
                + " of "
                + page.totalRecords()
                + " rows with resultTruncated and no $skipToken: the answer is incomplete, so this"
                + " refresh fails rather than drain the VMs it left out; "
                + RequestIds.of(response.getHeaders()).describe());
      }
      if (more) {
        paceByQuota(response);
      }
    } while (skipToken != null && !skipToken.isEmpty());
    return codes;
  }

  /**
   * With no quota left, waits until it resets before the next page: each page is one query of
   * Resource Graph's per-user quota, and a burst past it is answered 429.
   */
  private void paceByQuota(Response<QueryResponseInner> response) throws DiscoveryException {
    if (RefreshCallPolicy.quotaRemaining(response.getHeaders()).filter(n -> n == 0).isEmpty()) {
      return;
    }
    Duration wait = RefreshCallPolicy.quotaResetsAfter(response.getHeaders()).orElse(Duration.ZERO);
    Duration left = RefreshCalls.of(context).map(RefreshCalls::left).orElse(Duration.ofDays(1));
    if (wait.compareTo(left) > 0) {
      throw new DiscoveryException(
          "throttled",
          "Azure Resource Graph's user quota is spent and resets in "
              + Throttling.describe(wait)
              + " ("
              + Throttling.QUOTA_RESETS_AFTER
              + "), longer than the "
              + Throttling.describe(left)
              + " left of this refresh; "
              + RequestIds.of(response.getHeaders()).describe());
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiscoveryException("interrupted", "azure discovery was interrupted", e);
    }
  }

  /**
   * The KQL: VMs (in the scopes' resource groups, unless one scope is a whole subscription) and the
   * power state Resource Graph keeps under {@code properties.extended.instanceView}, ordered by the
   * unique {@code id}: Resource Graph's paging documentation says pages of an unordered result can
   * repeat or miss rows.
   */
  static String query(List<ListingScope> scopes) {
    boolean wholeSubscriptions = scopes.stream().anyMatch(s -> s.resourceGroup().isEmpty());
    String groups =
        wholeSubscriptions
            ? ""
            : scopes.stream()
                .map(s -> s.resourceGroup().orElseThrow().toLowerCase(Locale.ROOT))
                .distinct()
                .map(g -> "'" + g + "'")
                .collect(Collectors.joining(", ", " | where resourceGroup in~ (", ")"));
    return "Resources | where type =~ 'microsoft.compute/virtualmachines'"
        + groups
        + " | project id, powerState = tostring(properties.extended.instanceView.powerState.code)"
        + " | order by id asc";
  }
}
