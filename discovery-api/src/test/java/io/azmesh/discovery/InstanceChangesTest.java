package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceChangesTest {
  private static final Instance A = Instance.builder("a", "web-0", "10.0.0.4").build();
  private static final Instance B = Instance.builder("b", "web-1", "10.0.0.5").build();
  private static final Instance B_MOVED = Instance.builder("b", "web-1", "10.0.0.50").build();
  private static final Instance C = Instance.builder("c", "web-2", "10.0.0.6").build();

  @Test
  void between_namesAddedChangedAndRemovedIds() {
    InstanceChanges changes = InstanceChanges.between(List.of(A, B), List.of(B_MOVED, C));

    assertThat(changes.added()).containsExactly("c");
    assertThat(changes.changed()).containsExactly("b");
    assertThat(changes.removed()).containsExactly("a");
  }

  @Test
  void between_equalInstances_isEmpty() {
    Instance sameAsA = Instance.builder("a", "web-0", "10.0.0.4").build();

    assertThat(InstanceChanges.between(List.of(A, B), List.of(B, sameAsA)).isEmpty()).isTrue();
  }

  @Test
  void idInTwoSets_isRejected() {
    assertThatThrownBy(() -> new InstanceChanges(Set.of("a"), Set.of(), Set.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance id 'a' is added and also changed or removed");
  }
}
