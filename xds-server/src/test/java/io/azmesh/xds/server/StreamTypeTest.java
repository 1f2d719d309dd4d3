package io.azmesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTypeTest {

  @Test
  void sotw_requestNamingTheSameSetInAnotherOrderChangesNothing() {
    StreamType type = new StreamType(XdsType.ENDPOINTS);
    type.subscribeExactly(List.of("a", "b", "c"));
    type.pending.clear();

    type.subscribeExactly(List.of("c", "a", "b"));

    assertThat(type.names).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(type.pending).isEmpty();
  }

  @Test
  void sotw_requestSwappingOneNameForAnotherOfTheSameCountReplacesIt() {
    StreamType type = new StreamType(XdsType.ENDPOINTS);
    type.subscribeExactly(List.of("a", "b"));
    type.pending.clear();
    type.held.put("b", "v1");

    type.subscribeExactly(List.of("a", "c"));

    assertThat(type.names).containsExactlyInAnyOrder("a", "c");
    assertThat(type.pending).containsExactly("c");
    assertThat(type.held).doesNotContainKey("b");
  }
}
