package io.azmesh.discovery.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagFilterTest {
  private static TagFilter filter(List<String> include, List<String> exclude) {
    return new TagFilter(
        include.stream().map(t -> TagCondition.parse("tag", t)).toList(),
        exclude.stream().map(t -> TagCondition.parse("exclude-tag", t)).toList());
  }

  @Test
  void accepts_everythingWithoutTerms() {
    assertThat(TagFilter.all().accepts(Map.of())).isTrue();
    assertThat(TagFilter.all().accepts(null)).isTrue();
  }

  @Test
  void accepts_allIncludeTermsMustMatch() {
    TagFilter filter = filter(List.of("mesh-service", "env=prod"), List.of());

    assertThat(filter.accepts(Map.of("mesh-service", "web", "env", "prod"))).isTrue();
    assertThat(filter.accepts(Map.of("mesh-service", "web", "env", "dev"))).isFalse();
    assertThat(filter.accepts(Map.of("env", "prod"))).isFalse();
  }

  @Test
  void accepts_tagNamesIgnoreCaseValuesDoNot() {
    TagFilter filter = filter(List.of("Env=prod"), List.of());

    assertThat(filter.accepts(Map.of("env", "prod"))).isTrue();
    assertThat(filter.accepts(Map.of("ENV", "Prod"))).isFalse();
  }

  @Test
  void accepts_anyExcludeTermRejects() {
    TagFilter filter = filter(List.of(), List.of("canary", "env=dev"));

    assertThat(filter.accepts(Map.of("env", "prod"))).isTrue();
    assertThat(filter.accepts(Map.of("canary", ""))).isFalse();
    assertThat(filter.accepts(Map.of("env", "dev"))).isFalse();
  }

  @Test
  void parse_keepsEqualsSignsInTheValue() {
    assertThat(TagCondition.parse("tag", "query=a=b").value()).contains("a=b");
    assertThat(TagCondition.parse("tag", "empty=").value()).contains("");
    assertThat(TagCondition.parse("tag", "key").toString()).isEqualTo("key");
  }
}
