package io.azmesh.discovery.azure;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryProviders;
import io.azmesh.discovery.ProviderSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one azure discovery in a JVM of its own, so a test can give it environment variables
 * (managed identity, none at all) and JVM trust-store properties the way an operator would. Args
 * are settings as {@code key=value}. Prints {@code instance <name> <privateIp>}, {@code apiCalls
 * <n>}, or {@code error <cause>: <message>} and exits 2.
 */
public final class DiscoverMain {
  private DiscoverMain() {}

  public static void main(String[] args) {
    Map<String, List<String>> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      settings
          .computeIfAbsent(arg.substring(0, eq), k -> new ArrayList<>())
          .add(arg.substring(eq + 1));
    }
    try (DiscoveryProvider provider =
        DiscoveryProviders.load().create("azure", ProviderSettings.of(settings))) {
      Discovery discovery = provider.discover();
      discovery
          .instances()
          .forEach(i -> System.out.println("instance " + i.name() + " " + i.privateIp()));
      System.out.println("apiCalls " + discovery.stats().apiCalls());
    } catch (DiscoveryException e) {
      System.out.println("error " + e.causeLabel() + ": " + e.getMessage());
      System.exit(2);
    }
  }
}
