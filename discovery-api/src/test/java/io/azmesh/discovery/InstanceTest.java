package io.azmesh.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceTest {

  @Test
  void builder_defaultsToRunningStaticWithoutOptionalValues() {
    Instance instance = Instance.builder("id-1", "web-0", "10.0.0.4").build();

    assertThat(instance.publicIp()).isEmpty();
    assertThat(instance.location()).isEmpty();
    assertThat(instance.zone()).isEmpty();
    assertThat(instance.powerState()).isEqualTo(PowerState.RUNNING);
    assertThat(instance.kind()).isEqualTo(InstanceKind.STATIC);
    assertThat(instance.tags()).isEmpty();
  }

  @Test
  void tags_areSortedByKeyAndImmutable() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("zeta", "1");
    tags.put("alpha", "2");

    Instance instance = Instance.builder("id-1", "web-0", "10.0.0.4").tags(tags).build();
    tags.put("later", "3");

    assertThat(instance.tags().keySet()).containsExactly("alpha", "zeta");
    assertThatThrownBy(() -> instance.tags().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void privateIp_mustBeAnIpLiteral() {
    assertThatThrownBy(() -> Instance.builder("id-1", "web-0", "web.internal").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("privateIp of web-0 is 'web.internal', not an IP address");
  }

  @Test
  void publicIp_mustBeAnIpLiteral() {
    assertThatThrownBy(
            () -> Instance.builder("id-1", "web-0", "10.0.0.4").publicIp("1.2.3.256").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("publicIp of web-0 is '1.2.3.256', not an IP address");
  }

  @Test
  void ipv6Addresses_areAccepted() {
    Instance instance =
        Instance.builder("id-1", "web-0", "fd00::4").publicIp("2001:db8::1").build();

    assertThat(instance.privateIp()).isEqualTo("fd00::4");
    assertThat(instance.publicIp()).contains("2001:db8::1");
  }

  @Test
  void blankName_isRejected() {
    assertThatThrownBy(() -> Instance.builder("id-1", " ", "10.0.0.4").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank");
  }

  @Test
  void blankZone_isRejected() {
    assertThatThrownBy(() -> Instance.builder("id-1", "web-0", "10.0.0.4").zone("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zone must not be blank");
  }

  @Test
  void emptyTagKey_isRejected() {
    assertThatThrownBy(
            () -> Instance.builder("id-1", "web-0", "10.0.0.4").tags(Map.of("", "x")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tags of web-0 contain an empty key");
  }

  @Test
  void toBuilder_copiesEveryValue() {
    Instance instance =
        Instance.builder("id-1", "web-0", "10.0.0.4")
            .publicIp("20.1.2.3")
            .location("westeurope")
            .zone("2")
            .powerState(PowerState.STOPPED)
            .kind(InstanceKind.VM)
            .tags(Map.of("mesh-service", "web"))
            .build();

    assertThat(instance.toBuilder().build()).isEqualTo(instance);
    assertThat(instance.toBuilder().zone("3").build().zone()).isEqualTo(Optional.of("3"));
  }
}
