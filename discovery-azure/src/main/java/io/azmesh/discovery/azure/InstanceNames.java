package io.azmesh.discovery.azure;

import io.azmesh.discovery.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes instance names unique across resource groups and subscriptions. Azure names are unique only
 * within a resource group, but a discovery's names must be unique: clashing names are qualified as
 * {@code <resourceGroup>/<name>}, and if that still clashes, as {@code
 * <subscription>/<resourceGroup>/<name>}. Names that do not clash stay as Azure has them.
 */
final class InstanceNames {
  private InstanceNames() {}

  /** The instances with unique ids (first listing wins) and unique names. */
  static List<Instance> unique(List<Instance> instances) {
    Map<String, Instance> byId = new LinkedHashMap<>();
    for (Instance instance : instances) {
      byId.putIfAbsent(ArmResourceId.key(instance.id()), instance);
    }
    List<Instance> result = new ArrayList<>(byId.values());
    result = qualifyClashes(result, i -> resourceGroup(i) + "/" + i.name());
    return qualifyClashes(
        result,
        i -> {
          ArmResourceId id = ArmResourceId.parse(i.id());
          return id.subscription() + "/" + id.resourceGroup() + "/" + baseName(i);
        });
  }

  private static List<Instance> qualifyClashes(
      List<Instance> instances, Function<Instance, String> qualified) {
    Map<String, Integer> counts = new HashMap<>();
    instances.forEach(i -> counts.merge(i.name(), 1, Integer::sum));
    return instances.stream()
        .map(i -> counts.get(i.name()) > 1 ? renamed(i, qualified.apply(i)) : i)
        .toList();
  }

  private static String resourceGroup(Instance instance) {
    return ArmResourceId.parse(instance.id()).resourceGroup();
  }

  private static String baseName(Instance instance) {
    String name = instance.name();
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static Instance renamed(Instance i, String name) {
    return new Instance(
        i.id(),
        name,
        i.privateIp(),
        i.publicIp(),
        i.location(),
        i.zone(),
        i.powerState(),
        i.kind(),
        i.tags());
  }
}
