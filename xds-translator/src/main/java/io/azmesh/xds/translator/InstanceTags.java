package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the mesh tags of one instance say. Problems with the port, weight or health path leave the
 * instance out of every service ({@link #usable()} is false); a bad service name only leaves it out
 * of that service.
 *
 * @param services the valid service names the instance belongs to, in tag order
 * @param port the port override, if tagged
 * @param weight the load-balancing weight, 1 unless tagged
 * @param healthPath the tagged health-check path, if any
 * @param problems everything wrong with the tags
 * @param usability whether the instance can be published at all
 */
record InstanceTags(
    List<String> services,
    OptionalInt port,
    int weight,
    Optional<String> healthPath,
    List<Problem> problems,
    Usability usability) {

  static final int MAX_WEIGHT = 128;

  InstanceTags {
    services = List.copyOf(services);
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(healthPath, "healthPath");
    problems = List.copyOf(problems);
    Objects.requireNonNull(usability, "usability");
  }

  /** Whether the instance can be published at all. */
  enum Usability {
    USABLE,
    UNUSABLE
  }

  boolean usable() {
    return usability == Usability.USABLE;
  }

  /** Reads the tags named by {@code keys}; never throws for bad values. */
  static InstanceTags read(Instance instance, TagKeys keys) {
    List<Problem> problems = new ArrayList<>();
    String subject = instance.name();
    Usability usability = Usability.USABLE;

    List<String> services = new ArrayList<>();
    String serviceTag = instance.tags().get(keys.service());
    if (serviceTag == null) {
      problems.add(
          Problem.missing(subject, "tag " + keys.service(), "the instance belongs to no service"));
    } else {
      Set<String> names = new LinkedHashSet<>();
      for (String part : serviceTag.split(",", -1)) {
        String name = part.trim();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      if (names.isEmpty()) {
        problems.add(Problem.of(subject, "tag " + keys.service(), serviceTag, "names no service"));
      }
      for (String name : names) {
        Optional<String> reason = ServiceNames.problem(name);
        if (reason.isPresent()) {
          problems.add(Problem.of(subject, "tag " + keys.service(), name, reason.get()));
        } else {
          services.add(name);
        }
      }
    }

    OptionalInt port = OptionalInt.empty();
    String portTag = instance.tags().get(keys.port());
    if (portTag != null) {
      OptionalInt parsed = parseInt(portTag, 1, 65535);
      if (parsed.isEmpty()) {
        problems.add(
            Problem.of(subject, "tag " + keys.port(), portTag, "not a port number (1..65535)"));
        usability = Usability.UNUSABLE;
      }
      port = parsed;
    }

    int weight = 1;
    String weightTag = instance.tags().get(keys.weight());
    if (weightTag != null) {
      OptionalInt parsed = parseInt(weightTag, 1, MAX_WEIGHT);
      if (parsed.isEmpty()) {
        problems.add(
            Problem.of(
                subject,
                "tag " + keys.weight(),
                weightTag,
                "not a weight (1.." + MAX_WEIGHT + ")"));
        usability = Usability.UNUSABLE;
      } else {
        weight = parsed.getAsInt();
      }
    }

    Optional<String> healthPath = Optional.empty();
    String pathTag = instance.tags().get(keys.healthPath());
    if (pathTag != null) {
      Optional<String> reason = HttpPaths.problem(pathTag);
      if (reason.isPresent()) {
        problems.add(Problem.of(subject, "tag " + keys.healthPath(), pathTag, reason.get()));
        usability = Usability.UNUSABLE;
      } else {
        healthPath = Optional.of(pathTag);
      }
    }
    return new InstanceTags(services, port, weight, healthPath, problems, usability);
  }

  private static OptionalInt parseInt(String text, int min, int max) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()
        || trimmed.length() > 6
        || !trimmed.chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    int value = Integer.parseInt(trimmed);
    return value < min || value > max ? OptionalInt.empty() : OptionalInt.of(value);
  }
}
