package io.azmesh.cli;

/** Prints whether {@link HangUpSignal} says it handles SIGHUP in this JVM; run as a child. */
final class HangUpSignalProbe {
  private HangUpSignalProbe() {}

  public static void main(String[] args) {
    System.out.println("installed " + HangUpSignal.onHangUp(() -> {}));
  }
}
