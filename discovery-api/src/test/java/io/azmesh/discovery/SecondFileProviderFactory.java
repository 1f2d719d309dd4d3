package io.azmesh.discovery;

/** A factory that claims the name {@code file} a second time, to test the registry's check. */
public final class SecondFileProviderFactory implements DiscoveryProviderFactory {
  @Override
  public String name() {
    return "file";
  }

  @Override
  public String description() {
    return "a second provider named file";
  }

  @Override
  public DiscoveryProvider create(ProviderSettings settings) {
    throw new UnsupportedOperationException("only registered, never created");
  }
}
