package io.azmesh.discovery.azure.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults a test injected, matched against each request before it is answered. */
final class FaultRules {
  private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing;

  FaultRules(CountDownLatch closing) {
    this.closing = closing;
  }

  /** A fault for requests whose path contains {@code pathPart}, on any page or on one. */
  void add(String pathPart, OptionalInt page, Fault fault, int times) {
    if (page.isPresent() && page.getAsInt() < 1) {
      throw new IllegalArgumentException("page (" + page.getAsInt() + ") counts from 1");
    }
    faults.add(
        new FaultRule(pathPart.toLowerCase(Locale.ROOT), page, fault, new AtomicInteger(times)));
  }

  /** The fault for a request for {@code page} (1-based) of the listing at {@code path}, if any. */
  Optional<Fault> take(String path, int page) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (FaultRule rule : faults) {
      if (lower.contains(rule.pathPart)
          && (rule.page.isEmpty() || rule.page.getAsInt() == page)
          && rule.remaining.getAndDecrement() > 0) {
        return Optional.of(rule.fault);
      }
    }
    return Optional.empty();
  }

  void send(HttpExchange exchange, Fault fault) throws IOException {
    if (fault.delivery() == Fault.Delivery.HANG) {
      try {
        closing.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    fault.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    Wire.send(exchange, fault.status(), fault.body());
  }

  private record FaultRule(
      String pathPart, OptionalInt page, Fault fault, AtomicInteger remaining) {}
}
