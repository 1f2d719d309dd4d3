package io.azmesh.xds.server.testing;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Client threads calling the backend health service back to back, counting every outcome. */
public final class LoadGenerator implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLongArray completedByThread;
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  public LoadGenerator(ManagedChannel channel, int threadCount) {
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
    completedByThread = new AtomicLongArray(threadCount);
    for (int i = 0; i < threadCount; i++) {
      int index = i;
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
                  completedByThread.incrementAndGet(index);
                }
              },
              "load-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  public long succeeded() {
    return succeeded.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The first few failures, for the assertion message. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Waits until this many more calls have succeeded: a window measured in work, not time. */
  public void awaitMoreSuccesses(long count) {
    long target = succeeded() + count;
    Await.until(java.time.Duration.ofSeconds(60), () -> succeeded() >= target, count + " RPCs");
  }

  /**
   * Waits until every thread has finished two more calls: the call each had in flight, and one
   * started after this method was called. Nothing picked before then is still on its way.
   */
  public void awaitCallsInFlightDone() {
    long[] target = new long[completedByThread.length()];
    for (int i = 0; i < target.length; i++) {
      target[i] = completedByThread.get(i) + 2;
    }
    Await.until(
        java.time.Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < target.length; i++) {
            if (completedByThread.get(i) < target[i]) {
              return false;
            }
          }
          return true;
        },
        "every load thread to finish the calls it had in flight");
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
