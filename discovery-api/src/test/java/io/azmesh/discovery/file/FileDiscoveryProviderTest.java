package io.azmesh.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.InstanceChanges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryProviderTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void discover_readsYaml() throws Exception {
    Path inventory =
        write("inventory.yaml", "instances:\n  - name: web-0\n    private_ip: 10.0.0.4\n");

    try (FileDiscoveryProvider provider = provider(inventory)) {
      Discovery discovery = provider.discover();

      assertThat(discovery.instances()).extracting(Instance::name).containsExactly("web-0");
      assertThat(discovery.problems()).isEmpty();
      assertThat(discovery.observedAt()).isEqualTo(NOW);
      assertThat(discovery.stats().provider()).isEqualTo("file");
      assertThat(discovery.stats().apiCalls()).isZero();
    }
  }

  @Test
  void discover_readsJson() throws Exception {
    Path inventory =
        write(
            "inventory.json",
            "{\"instances\": [{\"name\": \"api-0\", \"private_ip\": \"10.0.1.4\"},"
                + " {\"name\": \"api-1\", \"private_ip\": \"10.0.1.5\"}]}");

    try (FileDiscoveryProvider provider = provider(inventory)) {
      assertThat(provider.discover().instances())
          .extracting(Instance::name)
          .containsExactly("api-0", "api-1");
    }
  }

  @Test
  void discover_missingFile_namesThePath() {
    Path inventory = dir.resolve("absent.yaml");

    try (FileDiscoveryProvider provider = provider(inventory)) {
      assertThatThrownBy(provider::discover)
          .isInstanceOf(DiscoveryException.class)
          .hasMessage("inventory " + inventory + " does not exist")
          .extracting(e -> ((DiscoveryException) e).causeLabel())
          .isEqualTo("io");
    }
  }

  @Test
  void discover_nonUtf8File_isRejected() throws Exception {
    Path inventory = dir.resolve("inventory.yaml");
    Files.write(inventory, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});

    try (FileDiscoveryProvider provider = provider(inventory)) {
      assertThatThrownBy(provider::discover)
          .isInstanceOf(DiscoveryException.class)
          .hasMessage("inventory " + inventory + " is not UTF-8 text");
    }
  }

  @Test
  void brokenEdit_isReportedAndTheLastGoodInventoryStays() throws Exception {
    Path inventory =
        write("inventory.yaml", "instances:\n  - name: web-0\n    private_ip: 10.0.0.4\n");
    try (FileDiscoveryProvider provider = provider(inventory)) {
      Discovery good = provider.discover();

      write("inventory.yaml", "instances:\n  - name: web-0\n    private_ip: 10.0.0.400\n");

      assertThatThrownBy(provider::discover)
          .isInstanceOf(InvalidInventoryException.class)
          .hasMessage(inventory + ":3: private_ip is '10.0.0.400', not an IP address");
      assertThat(provider.lastGood()).contains(good);
    }
  }

  @Test
  void fixedEdit_replacesTheLastGoodInventory() throws Exception {
    Path inventory = write("inventory.yaml", "instances: [\n");
    try (FileDiscoveryProvider provider = provider(inventory)) {
      assertThatThrownBy(provider::discover).isInstanceOf(InvalidInventoryException.class);
      assertThat(provider.lastGood()).isEmpty();

      write("inventory.yaml", "instances:\n  - name: web-1\n    private_ip: 10.0.0.5\n");

      Discovery fixed = provider.discover();
      assertThat(fixed.instances()).extracting(Instance::name).containsExactly("web-1");
      assertThat(provider.lastGood()).contains(fixed);
    }
  }

  @Test
  void name_isFile() {
    try (FileDiscoveryProvider provider = provider(dir.resolve("x.yaml"))) {
      assertThat(provider.name()).isEqualTo("file");
    }
  }

  @Test
  void onChange_afterClose_isRejected() {
    FileDiscoveryProvider provider = provider(dir.resolve("x.yaml"));
    provider.close();

    assertThatThrownBy(() -> provider.onChange(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("provider for " + dir.resolve("x.yaml") + " is closed");
  }

  @Test
  void discover_reportsWhatChangedSinceThePreviousDiscovery() throws Exception {
    String web1 = "  - name: web-1\n    private_ip: 10.0.0.5\n";
    String web2 = "  - {name: web-2, private_ip: 10.0.0.6}\n";
    Path inventory =
        write(
            "inventory.yaml",
            "# three instances\ninstances:\n  - name: web-0\n    private_ip: 10.0.0.4\n"
                + web1
                + web2);

    try (FileDiscoveryProvider provider =
        FileDiscoveryProvider.builder(inventory).clock(CLOCK).settle(Duration.ZERO).build()) {
      assertThat(provider.discover().changes()).isEmpty();
      assertThat(provider.discover().changes()).contains(InstanceChanges.NONE);

      String text = Files.readString(inventory);
      write(
          "inventory.yaml",
          text.replace(web1, web1.replace("10.0.0.5", "10.0.0.50"))
              .replace(web2, "  - {name: web-3, private_ip: 10.0.0.7}\n"));
      Discovery edited = provider.discover();

      assertThat(edited.changes())
          .contains(new InstanceChanges(Set.of("web-3"), Set.of("web-1"), Set.of("web-2")));
      assertThat(provider.parseStats().incrementalParses()).isEqualTo(1);
      assertThat(provider.parseStats().entriesParsed()).isEqualTo(2);

      write("inventory.yaml", "instances: [\n");
      assertThatThrownBy(provider::discover).isInstanceOf(InvalidInventoryException.class);
      write("inventory.yaml", text);

      // Relative to the last discovery returned, not to the rejected edit.
      assertThat(provider.discover().changes())
          .contains(new InstanceChanges(Set.of("web-2"), Set.of("web-1"), Set.of("web-3")));
    }
  }

  @Test
  void zeroPollInterval_isRejected() {
    assertThatThrownBy(() -> FileDiscoveryProvider.of(dir.resolve("x.yaml"), CLOCK, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval (PT0S) must be positive");
  }

  private FileDiscoveryProvider provider(Path inventory) {
    return FileDiscoveryProvider.of(inventory, CLOCK, Duration.ofMillis(200));
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
