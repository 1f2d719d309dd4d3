package io.azmesh.xds.server;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Client threads calling the backend health service back to back, counting every outcome. */
final class LoadGenerator implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  LoadGenerator(ManagedChannel channel, int threadCount) {
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
                    failed.incrementAndGet();
                    if (failures.size() < 10) {
                      failures.add(e.getStatus().toString());
                    }
                  }
                }
              },
              "load-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  long succeeded() {
    return succeeded.get();
  }

  long failed() {
    return failed.get();
  }

  /** The first few failures, for the assertion message. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Waits until this many more calls have succeeded: a window measured in work, not time. */
  void awaitMoreSuccesses(long count) {
    long target = succeeded() + count;
    Await.until(java.time.Duration.ofSeconds(60), () -> succeeded() >= target, count + " RPCs");
  }

  @Override
  public void close() {
    running = false;
    try {
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
