package io.azmesh.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DocExamplesDumpTest {
  @Test
  void dump() throws Exception {
    StatusServer server =
        new StatusServer(
            StatusServerConfig.defaults().withPort(0),
            MeshFixtures.published(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Clock.fixed(MeshFixtures.NOW, ZoneOffset.UTC));
    StatusClient c = new StatusClient(server.start());
    Path out = Files.createDirectories(Path.of("/tmp/examples"));
    ObjectMapper m = new ObjectMapper();
    for (String p :
        new String[] {
          "/api/vms",
          "/api/services",
          "/api/nodes",
          "/api/snapshot",
          "/api/problems",
          "/healthz",
          "/readyz",
          "/api/nope"
        }) {
      String body = c.get(p).body();
      Files.writeString(
          out.resolve(p.substring(1).replace('/', '_') + ".json"),
          m.writerWithDefaultPrettyPrinter().writeValueAsString(m.readTree(body)));
    }
    Files.writeString(out.resolve("metrics.txt"), c.get("/metrics").body());
    Files.writeString(out.resolve("port.txt"), "" + server.port());
    if (System.getProperty("hold") != null) {
      Thread.sleep(Long.getLong("hold"));
    }
    server.stop();
  }
}
