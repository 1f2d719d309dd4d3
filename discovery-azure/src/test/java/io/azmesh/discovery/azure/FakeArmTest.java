package io.azmesh.discovery.azure;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.azure.testing.FakeArm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test of the provider with the real SDK against a fresh {@link FakeArm} for each case. */
abstract class FakeArmTest {
  FakeArm fake;
  FakeArmConnection connection;

  @BeforeEach
  void startFake() {
    fake = FakeArm.start();
    connection = new FakeArmConnection(fake);
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  Discovery discover(AzureDiscoveryConfig config) throws DiscoveryException {
    return connection.discover(config);
  }
}
