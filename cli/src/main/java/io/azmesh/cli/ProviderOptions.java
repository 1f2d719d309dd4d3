package io.azmesh.cli;

import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.ProviderSettings;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Which discovery provider to use and its settings. Every option here but {@code --provider} is
 * handed to the provider as a {@link ProviderSettings} value named like the flag without dashes, so
 * meshctl knows flag names but no provider types. Only options that were set (by flag, environment
 * or config file) are passed, so a provider can reject settings it does not use.
 */
public final class ProviderOptions {
  private static final String PROVIDER = "--provider";

  @Spec(Spec.Target.SELF)
  CommandSpec spec;

  @Option(
      names = PROVIDER,
      paramLabel = "NAME",
      description = "The discovery provider: azure or file.")
  String provider;

  @Option(
      names = "--inventory",
      paramLabel = "PATH",
      description = "file provider: the YAML or JSON inventory (see docs/inventory.md).")
  String inventory;

  @Option(
      names = "--inventory-settle",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "file provider: how long new inventory content must stay unchanged before it is"
              + " parsed, so a file written in place is never read half-written (default: 250ms);"
              + " 0 when the file is only ever replaced by renaming a complete one into place.")
  java.time.Duration inventorySettle;

  @Option(
      names = "--subscription",
      paramLabel = "ID",
      split = ",",
      description = "azure provider: a subscription to search; repeatable.")
  List<String> subscriptions;

  @Option(
      names = "--resource-group",
      paramLabel = "NAME",
      split = ",",
      description =
          "azure provider: only these resource groups; repeatable. NAME applies to every"
              + " subscription, SUBSCRIPTION-ID/NAME to that subscription only.")
  List<String> resourceGroups;

  @Option(
      names = "--tag",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "azure provider: only instances with this tag (KEY alone: any value); repeatable.")
  List<String> tags;

  @Option(
      names = "--exclude-tag",
      paramLabel = "KEY=VALUE",
      split = ",",
      description = "azure provider: leave out instances with this tag; repeatable.")
  List<String> excludeTags;

  @Option(
      names = "--azure-cloud",
      paramLabel = "CLOUD",
      description = "azure provider: public (default), china or usgov.")
  String azureCloud;

  @Option(
      names = "--arm-endpoint",
      paramLabel = "URL",
      description =
          "azure provider: a custom Azure Resource Manager endpoint (Azure Stack, a fake).")
  String armEndpoint;

  @Option(
      names = "--arm-audience",
      paramLabel = "URL",
      description = "azure provider: the token audience of --arm-endpoint (default: its URL).")
  String armAudience;

  @Option(
      names = "--authority-host",
      paramLabel = "URL",
      description = "azure provider: the Microsoft Entra authority (default: the cloud's).")
  String authorityHost;

  @Option(
      names = "--auth",
      paramLabel = "METHOD",
      description =
          "azure provider: default (DefaultAzureCredential), managed-identity, service-principal"
              + " or cli.")
  String auth;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description = "azure provider: the client id of a service principal or managed identity.")
  String clientId;

  @Option(
      names = "--tenant-id",
      paramLabel = "ID",
      description = "azure provider: the Microsoft Entra tenant of the service principal.")
  String tenantId;

  @Option(
      names = "--client-secret-file",
      paramLabel = "PATH",
      description = "azure provider: a file holding the service principal's secret.")
  String clientSecretFile;

  @Option(
      names = "--discovery-mode",
      paramLabel = "MODE",
      description =
          "azure provider: where power states come from: auto (statusOnly listing for a whole"
              + " subscription, Resource Graph for a resource group), list-all or resource-graph.")
  String discoveryMode;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "azure provider: the time one discovery may take, e.g. 30s or PT1M.")
  String timeout;

  @Option(
      names = "--change-queue",
      paramLabel = "URL",
      description =
          "azure provider: an Azure Storage queue that an Event Grid subscription fills with"
              + " resource events; a VM, scale set or scale-set VM event in scope refreshes at"
              + " once. A SAS token in the URL's query authorizes reading it, else the provider's"
              + " credential does (see docs/azure.md).")
  String changeQueue;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      description = "azure provider: retries of a throttled or failed call.")
  String maxRetries;

  /**
   * Creates the chosen provider; a missing or unknown provider or a bad setting is a usage error.
   */
  DiscoveryProvider create(DiscoveryProviders providers) {
    if (provider == null || provider.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "--provider is required: one of "
              + String.join(", ", providers.names())
              + " (or set MESHCTL_PROVIDER, or provider: in the config file)");
    }
    try {
      return providers.create(provider, settings());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** Whether a change queue tells about changes, so discovery may poll less often. */
  boolean hasChangeQueue() {
    return changeQueue != null;
  }

  /** The options that are set, keyed by flag name without dashes. */
  ProviderSettings settings() {
    Map<String, List<String>> values = new TreeMap<>();
    for (OptionSpec option : spec.options()) {
      String name = option.longestName();
      Object value = option.getValue();
      if (name.equals(PROVIDER) || value == null) {
        continue;
      }
      List<String> texts =
          value instanceof Collection<?> many
              ? many.stream().map(String::valueOf).toList()
              : List.of(String.valueOf(value));
      if (!texts.isEmpty()) {
        values.put(name.substring(2), texts);
      }
    }
    return ProviderSettings.of(values);
  }
}
