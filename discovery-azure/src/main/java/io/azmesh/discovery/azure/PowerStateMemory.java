package io.azmesh.discovery.azure;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last power state each VM reported, kept across refreshes. Azure's states page says a listing
 * can, in rare cases, leave a power state out; a VM ARM still lists as provisioned keeps its last
 * known state for {@link #REFRESHES} refreshes without one rather than flap out of service, and
 * leaves service after that.
 */
final class PowerStateMemory {
  /** Refreshes in a row a VM may go without a reported power state and keep its last one. */
  static final int REFRESHES = 3;

  private final Map<String, Remembered> states = new ConcurrentHashMap<>();

  /** A VM reported a power state. */
  void saw(String vmKey, String code) {
    states.put(vmKey, new Remembered(code, 0));
  }

  /**
   * The VM's last known state for one more refresh without one, with the count of such refreshes so
   * far; empty once {@link #REFRESHES} have passed or when none was ever seen.
   */
  Optional<Remembered> missing(String vmKey) {
    Remembered last = states.get(vmKey);
    if (last == null || last.misses() >= REFRESHES) {
      return Optional.empty();
    }
    Remembered next = new Remembered(last.code(), last.misses() + 1);
    states.put(vmKey, next);
    return Optional.of(next);
  }

  /** Forgets the VMs no longer listed. */
  void retainOnly(Set<String> listed) {
    states.keySet().retainAll(listed);
  }

  /** A power state code and how many refreshes in a row it has been missing since. */
  record Remembered(String code, int misses) {}
}
