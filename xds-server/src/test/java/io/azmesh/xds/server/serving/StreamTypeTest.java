package io.azmesh.xds.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTypeTest {

  @Test
  void sotw_requestNamingTheSameSetInAnotherOrderChangesNothing() {
    StreamType type = new StreamType(XdsType.ENDPOINTS);
    type.subscribeExactly(List.of("a", "b", "c"), name -> name);
    type.pending.clear();

    type.subscribeExactly(List.of("c", "a", "b"), name -> name);

    assertThat(type.names).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(type.pending).isEmpty();
  }

  @Test
  void sotw_requestSwappingOneNameForAnotherOfTheSameCountReplacesIt() {
    StreamType type = new StreamType(XdsType.ENDPOINTS);
    type.subscribeExactly(List.of("a", "b"), name -> name);
    type.pending.clear();
    type.held.put("b", "v1");

    type.subscribeExactly(List.of("a", "c"), name -> name);

    assertThat(type.names).containsExactlyInAnyOrder("a", "c");
    assertThat(type.pending).containsExactly("c");
    assertThat(type.held).doesNotContainKey("b");
  }

  @Test
  void subscribedNamesAreKeptAsTheSharedCopy() {
    String served = "svc-1";
    String decoded = new String("svc-1".toCharArray());
    StreamType sotw = new StreamType(XdsType.ENDPOINTS);
    StreamType delta = new StreamType(XdsType.ENDPOINTS);

    sotw.subscribeExactly(List.of(decoded), name -> name.equals(served) ? served : name);
    delta.subscribe(List.of(decoded), name -> name.equals(served) ? served : name);

    assertThat(sotw.names).singleElement().isSameAs(served);
    assertThat(sotw.pending).singleElement().isSameAs(served);
    assertThat(delta.names).singleElement().isSameAs(served);
    assertThat(delta.pending).singleElement().isSameAs(served);
  }
}
