package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each README's input and output tables list exactly what the module declares. */
class ReadmeTest {

  private static final Pattern NAME = Pattern.compile("`([a-z0-9_]+)`");

  static List<Path> configurations() {
    return TerraformTree.configurations();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void readme_listsEveryInput(Path directory) {
    assertThat(tableNames(directory, "## Inputs"))
        .containsExactlyInAnyOrderElementsOf(
            TerraformDirectory.load(directory).variables().keySet());
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void readme_listsEveryOutput(Path directory) {
    assertThat(tableNames(directory, "## Outputs"))
        .containsExactlyInAnyOrderElementsOf(TerraformDirectory.load(directory).outputs().keySet());
  }

  /** The backticked names in the first column of the table under {@code heading}. */
  private static Set<String> tableNames(Path directory, String heading) {
    List<String> lines = TerraformDirectory.read(directory.resolve("README.md")).lines().toList();
    int start = lines.indexOf(heading);
    assertThat(start).as("%s/README.md has a '%s' section", directory, heading).isNotNegative();
    Set<String> names = new TreeSet<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("| `")) {
        Matcher matcher = NAME.matcher(line.substring(0, line.indexOf('|', 1)));
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }
}
