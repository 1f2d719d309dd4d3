package io.azmesh.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The body of {@code /healthz} and {@code /readyz}.
 *
 * @param status {@code ok}, {@code ready} or {@code not_ready}
 * @param snapshotVersion the published snapshot's counter, when ready
 * @param message why not ready
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthView(String status, Long snapshotVersion, String message) {

  public HealthView {
    Objects.requireNonNull(status, "status");
  }

  static HealthView alive() {
    return new HealthView("ok", null, null);
  }

  static HealthView ready(long snapshotVersion) {
    return new HealthView("ready", snapshotVersion, null);
  }

  static HealthView notReady(String message) {
    return new HealthView("not_ready", null, message);
  }
}
