package io.azmesh.discovery.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.resourcegraph.fluent.ResourceGraphClient;
import com.azure.resourcemanager.resourcegraph.fluent.models.QueryResponseInner;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The VM power states of one refresh, each source read at most once and never per VM: a
 * subscription's {@code statusOnly=true} listing, or one Azure Resource Graph query for every scope
 * that {@link DiscoveryMode} sends there (paged by {@code $skipToken}, 1,000 rows a page).
 */
final class PowerStates {
  /** Rows per Resource Graph page: its maximum. */
  static final int GRAPH_PAGE = 1000;

  private final AzureDiscoveryConfig config;
  private final Map<String, ArmClients> clients;
  private final Context context;
  private final Map<String, Map<String, String>> statusOnly = new HashMap<>();
  private Map<String, String> graph;

  PowerStates(AzureDiscoveryConfig config, Map<String, ArmClients> clients, Context context) {
    this.config = config;
    this.clients = clients;
    this.context = context;
  }

  /** The VM's {@code PowerState/...} code as its scope's source reports it, if it reports one. */
  Optional<String> codeOf(ListingScope scope, String vmId) {
    Map<String, String> states =
        config.mode().usesResourceGraph(scope) ? graph() : statusOnly(scope.subscription());
    return Optional.ofNullable(states.get(ArmResourceId.key(vmId))).filter(code -> !code.isBlank());
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

  private Map<String, String> graph() {
    if (graph == null) {
      graph = queryGraph();
    }
    return graph;
  }

  /** One query for every scope that reads Resource Graph, paged until no {@code $skipToken}. */
  private Map<String, String> queryGraph() {
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
      QueryResponseInner page =
          client.getResourceProviders().resourcesWithResponse(request, context).getValue();
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
    } while (skipToken != null && !skipToken.isEmpty());
    return codes;
  }

  /**
   * The KQL: VMs (in the scopes' resource groups, unless one scope is a whole subscription) and the
   * power state Resource Graph keeps under {@code properties.extended.instanceView}.
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
        + " | project id, powerState = tostring(properties.extended.instanceView.powerState.code)";
  }
}
