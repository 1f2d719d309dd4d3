package io.azmesh.xds.server.loop;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceKind;
import io.azmesh.discovery.PowerState;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.loop.ServingState.Drain;
import io.azmesh.xds.server.loop.ServingState.Hold;
import io.azmesh.xds.server.loop.ServingState.Member;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The control loop's state on disk, so a restart keeps its promises: the last published snapshot,
 * the serving state (endpoints with their last-served instances, drains with their start, held
 * removals, emptied services), the snapshot counter and the event history, with the configuration
 * they were discovered from and when they were saved.
 *
 * <p>One JSON file, {@value #FILE_NAME}, with a {@code format} number; resources as base64 protobuf
 * bytes, so they and their content-hash versions come back byte-identical. Written durably: to a
 * temporary file of its own name, forced to the disk, renamed over the old one, and the directory
 * forced, so a crash or a power cut leaves the old or the new file, never neither and never half of
 * one. An entry this version cannot read (an event kind it does not know) is skipped, not the file.
 */
final class StateFile {
  static final String FILE_NAME = "control-loop-state.json";

  /** The format this code writes and reads; another number is not read. */
  static final int FORMAT = 2;

  /** Temporary files are this file's name, a unique part, and this suffix. */
  private static final String TEMPORARY_SUFFIX = ".tmp";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final Path file;

  StateFile(Path directory) {
    this.file = Objects.requireNonNull(directory, "directory").resolve(FILE_NAME);
  }

  Path path() {
    return file;
  }

  /**
   * What was saved.
   *
   * @param configuration the fingerprint of the configuration it was discovered from
   * @param savedAt when it was written
   * @param snapshotVersion the counter of the saved snapshot
   * @param publishedAt when it was published
   * @param resources the resources it served
   * @param serving the serving state that went with it
   * @param events the event history, oldest first
   * @param skipped one line per entry of the file that was not read, and why
   */
  record Saved(
      String configuration,
      Instant savedAt,
      long snapshotVersion,
      Instant publishedAt,
      XdsResources resources,
      ServingState serving,
      List<MeshEvent> events,
      List<String> skipped) {
    Saved {
      Objects.requireNonNull(configuration, "configuration");
      Objects.requireNonNull(savedAt, "savedAt");
      Objects.requireNonNull(publishedAt, "publishedAt");
      Objects.requireNonNull(resources, "resources");
      Objects.requireNonNull(serving, "serving");
      events = List.copyOf(events);
      skipped = List.copyOf(skipped);
    }
  }

  /** Thrown when the file exists but cannot be used; the message names the file and why. */
  static final class UnreadableStateException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableStateException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The saved state; empty when there is no file yet. */
  Optional<Saved> read() throws UnreadableStateException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode tree = JSON.readTree(file.toFile());
      JsonNode format = tree == null ? null : tree.get("format");
      if (format == null || !format.canConvertToInt()) {
        throw new UnreadableStateException(
            "state file " + file + " has no format number; it is not azmesh's state file", null);
      }
      if (format.asInt() != FORMAT) {
        throw new UnreadableStateException(
            "state file "
                + file
                + " has format "
                + format.asInt()
                + "; this version reads format "
                + FORMAT,
            null);
      }
      return Optional.of(JSON.treeToValue(tree, FileJson.class).toSaved());
    } catch (UnreadableStateException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new UnreadableStateException(
          "state file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the state durably: whole to a temporary file of a name no other writer uses, forced to
   * the disk, renamed over the old one atomically, then the directory forced so the rename itself
   * survives a power cut. {@code saved.savedAt()} is ignored; {@code now} is written instead.
   */
  void write(Saved saved, Instant now) {
    Path directory = file.getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, FILE_NAME + ".", TEMPORARY_SUFFIX);
      byte[] bytes = JSON.writeValueAsBytes(FileJson.of(saved, now));
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temporary = null;
      forceDirectory(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state file " + file + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          // The write already failed and says so; a left-over temporary is removed on next start.
        }
      }
    }
  }

  /** Makes a rename in {@code directory} durable; where a directory cannot be opened, it is not. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (UnsupportedOperationException e) {
      // Not every platform opens a directory as a channel; the rename is still atomic there.
    }
  }

  /**
   * Removes temporary files a killed writer left behind; only the lock holder calls it, so none of
   * them is being written.
   */
  void removeLeftovers() {
    Path directory = file.getParent();
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(directory, FILE_NAME + ".*" + TEMPORARY_SUFFIX)) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot remove left-over temporary state files in " + directory + ": " + e.getMessage(),
          e);
    }
  }

  // The JSON shape, format 1. Field names are snake_case in the file.

  record FileJson(
      int format,
      String configuration,
      String savedAt,
      SnapshotJson snapshot,
      List<EndpointJson> serving,
      List<EndpointJson> draining,
      List<HoldJson> holds,
      Map<String, String> emptySince,
      List<String> services,
      List<EventJson> events) {

    static FileJson of(Saved saved, Instant now) {
      ServingState s = saved.serving();
      List<EndpointJson> serving = new ArrayList<>();
      s.serving()
          .forEach(
              (m, instance) ->
                  serving.add(new EndpointJson(m.service(), null, InstanceJson.of(instance))));
      List<EndpointJson> draining = new ArrayList<>();
      s.draining()
          .forEach(
              (m, drain) ->
                  draining.add(
                      new EndpointJson(
                          m.service(),
                          drain.since().toString(),
                          InstanceJson.of(drain.instance()))));
      List<HoldJson> holds = new ArrayList<>();
      s.holds()
          .forEach(
              (service, hold) ->
                  holds.add(
                      new HoldJson(
                          service,
                          hold.since().toString(),
                          hold.sightings(),
                          List.copyOf(hold.removing()))));
      Map<String, String> emptySince = new TreeMap<>();
      s.emptySince().forEach((service, at) -> emptySince.put(service, at.toString()));
      XdsResources r = saved.resources();
      return new FileJson(
          FORMAT,
          saved.configuration(),
          now.toString(),
          new SnapshotJson(
              saved.snapshotVersion(),
              saved.publishedAt().toString(),
              encode(r.clusters()),
              encode(r.endpoints()),
              encode(r.listeners()),
              encode(r.routes())),
          serving,
          draining,
          holds,
          emptySince,
          List.copyOf(s.services()),
          saved.events().stream().map(EventJson::of).toList());
    }

    Saved toSaved() throws InvalidProtocolBufferException {
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(configuration, "configuration");
      Objects.requireNonNull(savedAt, "saved_at");
      List<String> skipped = new ArrayList<>();
      Map<Member, Instance> servingMap = new TreeMap<>();
      for (EndpointJson e : orEmpty(serving)) {
        readEntry("serving endpoint", e, skipped)
            .ifPresent(
                entry -> {
                  Instance instance = entry.instance().toInstance();
                  servingMap.put(new Member(instance.id(), entry.service()), instance);
                });
      }
      Map<Member, Drain> drainingMap = new TreeMap<>();
      for (EndpointJson e : orEmpty(draining)) {
        readEntry("draining endpoint", e, skipped)
            .ifPresent(
                entry -> {
                  Instance instance = entry.instance().toInstance();
                  Member member = new Member(instance.id(), entry.service());
                  if (!servingMap.containsKey(member)) {
                    drainingMap.put(
                        member,
                        new Drain(
                            instance,
                            Instant.parse(Objects.requireNonNull(entry.since(), "since"))));
                  }
                });
      }
      Map<String, Hold> holdMap = new TreeMap<>();
      for (HoldJson h : orEmpty(holds)) {
        readEntry("held removal", h, skipped)
            .ifPresent(
                hold ->
                    holdMap.put(
                        hold.service(),
                        new Hold(
                            Instant.parse(hold.since()),
                            hold.sightings(),
                            Set.copyOf(orEmpty(hold.removing())))));
      }
      Map<String, Instant> empty = new TreeMap<>();
      (emptySince == null ? Map.<String, String>of() : emptySince)
          .forEach((service, at) -> empty.put(service, Instant.parse(at)));
      List<MeshEvent> history = new ArrayList<>();
      for (EventJson e : orEmpty(events)) {
        readEntry("event", e, skipped).ifPresent(event -> history.add(event.toEvent()));
      }
      return new Saved(
          configuration,
          Instant.parse(savedAt),
          snapshot.version(),
          Instant.parse(snapshot.publishedAt()),
          XdsResources.of(
              decode(snapshot.clusters(), Cluster.parser()::parseFrom),
              decode(snapshot.endpoints(), ClusterLoadAssignment.parser()::parseFrom),
              decode(snapshot.listeners(), Listener.parser()::parseFrom),
              decode(snapshot.routes(), RouteConfiguration.parser()::parseFrom)),
          new ServingState(
              servingMap,
              drainingMap,
              holdMap,
              empty,
              services == null ? Set.of() : Set.copyOf(services)),
          history,
          skipped);
    }
  }

  /**
   * The entry when this version can read it; otherwise a line in {@code skipped} and empty, so one
   * entry of a kind it does not know (written by a newer version) costs that entry, not the file.
   */
  private static <T extends Entry> Optional<T> readEntry(
      String what, T entry, List<String> skipped) {
    try {
      entry.check();
      return Optional.of(entry);
    } catch (RuntimeException e) {
      skipped.add(what + " " + entry.describe() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** An entry of the file that can be checked on its own before it is used. */
  private interface Entry {
    /** Throws when this version cannot use the entry. */
    void check();

    /** Names the entry in a message. */
    String describe();
  }

  record SnapshotJson(
      long version,
      String publishedAt,
      List<String> clusters,
      List<String> endpoints,
      List<String> listeners,
      List<String> routes) {}

  record EndpointJson(String service, String since, InstanceJson instance) implements Entry {
    @Override
    public void check() {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(instance, "instance").toInstance();
      if (since != null) {
        Instant.parse(since);
      }
    }

    @Override
    public String describe() {
      return (instance == null ? "?" : instance.id()) + " in " + service;
    }
  }

  record HoldJson(String service, String since, int sightings, List<String> removing)
      implements Entry {
    @Override
    public void check() {
      Objects.requireNonNull(service, "service");
      Instant.parse(Objects.requireNonNull(since, "since"));
      if (sightings < 0) {
        throw new IllegalArgumentException("sightings " + sightings + " is negative");
      }
    }

    @Override
    public String describe() {
      return "of service " + service;
    }
  }

  record InstanceJson(
      String id,
      String name,
      String privateIp,
      String publicIp,
      String location,
      String zone,
      String powerState,
      String kind,
      Map<String, String> tags) {

    static InstanceJson of(Instance i) {
      return new InstanceJson(
          i.id(),
          i.name(),
          i.privateIp(),
          i.publicIp().orElse(null),
          i.location().orElse(null),
          i.zone().orElse(null),
          i.powerState().code(),
          i.kind().name(),
          i.tags());
    }

    Instance toInstance() {
      Objects.requireNonNull(this.id, "instance id");
      return Instance.builder(id, name, privateIp)
          .publicIp(publicIp)
          .location(location)
          .zone(zone)
          .powerState(
              PowerState.fromCode(powerState)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "instance " + id + " has power state '" + powerState + "'")))
          .kind(InstanceKind.valueOf(kind))
          .tags(tags == null ? Map.of() : tags)
          .build();
    }
  }

  record EventJson(
      long sequence, String at, String kind, String subject, String service, String reason)
      implements Entry {
    @Override
    public void check() {
      Instant.parse(Objects.requireNonNull(at, "at"));
      MeshEvent.Kind.valueOf(Objects.requireNonNull(kind, "kind"));
      toEvent();
    }

    @Override
    public String describe() {
      return sequence + " (" + kind + ")";
    }

    static EventJson of(MeshEvent e) {
      return new EventJson(
          e.sequence(),
          e.at().toString(),
          e.kind().name(),
          e.subject(),
          e.service().orElse(null),
          e.reason());
    }

    MeshEvent toEvent() {
      return new MeshEvent(
          sequence,
          Instant.parse(at),
          MeshEvent.Kind.valueOf(kind),
          subject,
          Optional.ofNullable(service),
          reason);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static List<String> encode(List<? extends Message> messages) {
    Base64.Encoder base64 = Base64.getEncoder();
    return messages.stream().map(m -> base64.encodeToString(m.toByteArray())).toList();
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  private static <T> List<T> decode(List<String> encoded, Parser<T> parser)
      throws InvalidProtocolBufferException {
    List<T> messages = new ArrayList<>();
    for (String text : orEmpty(encoded)) {
      messages.add(parser.parse(Base64.getDecoder().decode(text)));
    }
    return messages;
  }
}
