package io.azmesh.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Threads calling the health service through a channel back to back, counting every outcome. */
final class HealthLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong succeeded = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  HealthLoad(ManagedChannel channel, int threadCount) {
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
    for (int i = 0; i < threadCount; i++) {
      Thread thread =
          new Thread(
              () -> {
                while (running) {
                  try {
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                    succeeded.incrementAndGet();
                  } catch (StatusRuntimeException e) {
                    failures.add(e.getStatus().toString());
                  }
                }
              },
              "health-load-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  long succeeded() {
    return succeeded.get();
  }

  /** Every failed call's status, in order. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
