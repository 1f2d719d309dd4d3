package io.azmesh.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The body of {@code /healthz} and {@code /readyz}.
 *
 * @param status {@code ok}, {@code ready} or {@code not_ready}
 * @param snapshotVersion the published snapshot's counter, when one is served
 * @param world {@code fresh} when a discovery of this process confirmed the served snapshot, {@code
 *     restored} when it was restored from before a restart and none has yet; absent when nothing is
 *     served
 * @param message why not ready
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthView(String status, Long snapshotVersion, String world, String message) {

  public HealthView {
    Objects.requireNonNull(status, "status");
  }

  static HealthView alive() {
    return new HealthView("ok", null, null, null);
  }

  static HealthView ready(long snapshotVersion) {
    return new HealthView("ready", snapshotVersion, "fresh", null);
  }

  static HealthView notReady(String message) {
    return new HealthView("not_ready", null, null, message);
  }

  /** Serving a restored snapshot that no discovery of this process has confirmed yet. */
  static HealthView restored(long snapshotVersion) {
    return new HealthView(
        "not_ready",
        snapshotVersion,
        "restored",
        "serving the snapshot saved before the restart; ready once a discovery confirms it");
  }
}
