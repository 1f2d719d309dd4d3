package io.azmesh.cli;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What one ADS stream delivered, in order: responses, then an error or the end. A test takes the
 * next event instead of polling; the deadline only turns a hang into a failure.
 */
final class AdsStreamEvents<T> implements StreamObserver<T> {
  private static final long DEADLINE_SECONDS = 120;

  /** One event of the stream: a response, or its end (error absent for a clean end). */
  record Event<T>(Optional<T> response, Optional<Throwable> error) {}

  private final BlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();

  @Override
  public void onNext(T response) {
    events.add(new Event<>(Optional.of(response), Optional.empty()));
  }

  @Override
  public void onError(Throwable t) {
    events.add(new Event<>(Optional.empty(), Optional.of(t)));
  }

  @Override
  public void onCompleted() {
    events.add(new Event<>(Optional.empty(), Optional.empty()));
  }

  /** The next response; fails if the stream ended instead. */
  T nextResponse() throws InterruptedException {
    Event<T> event = next();
    return event
        .response()
        .orElseThrow(
            () ->
                new AssertionError(
                    "the stream ended instead of responding: "
                        + event.error().map(Throwable::toString).orElse("completed")));
  }

  /** The error that ended the stream; fails if a response or a clean end came instead. */
  Throwable nextError() throws InterruptedException {
    Event<T> event = next();
    return event
        .error()
        .orElseThrow(
            () -> new AssertionError("expected the stream to fail, got " + event.response()));
  }

  /** Every response still to come, once the server has ended the stream cleanly. */
  List<T> remainingUntilCompleted() throws InterruptedException {
    List<T> responses = new ArrayList<>();
    while (true) {
      Event<T> event = next();
      if (event.error().isPresent()) {
        throw new AssertionError("the stream failed instead of ending", event.error().get());
      }
      if (event.response().isEmpty()) {
        return responses;
      }
      responses.add(event.response().get());
    }
  }

  private Event<T> next() throws InterruptedException {
    Event<T> event = events.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("nothing arrived on the stream within " + DEADLINE_SECONDS + " s");
    }
    return event;
  }
}
