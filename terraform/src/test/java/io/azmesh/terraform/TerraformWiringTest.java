package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The wiring checks find each kind of mistake, by name, in a deliberately miswired fixture. */
class TerraformWiringTest {

  private static final Path MISWIRED = Path.of("src/test/resources/fixtures/miswired/root");

  @Test
  void check_reportsEveryMistakeInTheMiswiredFixture() {
    assertThat(new TerraformWiring().check(MISWIRED))
        .containsExactlyInAnyOrder(
            "module \"child\" passes \"colour\", which ../child does not declare",
            "module \"child\" does not pass the required variable \"name\"",
            "main.tf:15 module.child.adress: module \"child\" has no output \"adress\"; it has"
                + " [address, undescribed]",
            "main.tf:15 module.other.x: there is no module \"other\"");
  }

  @Test
  void check_reportsDeclarationsReferencesAndTemplateMismatches() {
    assertThat(new TerraformWiring().check(MISWIRED.resolveSibling("child")))
        .containsExactlyInAnyOrder(
            "variables.tf: variable \"untyped\" has no type",
            "outputs.tf: output \"undescribed\" has no description",
            "main.tf: boot.tftpl reads [host] but they are not supplied",
            "main.tf: boot.tftpl never reads the supplied [spare]",
            "main.tf: templatefile target absent.tftpl does not exist",
            "main.tf:7 var.nmae: there is no variable \"nmae\"",
            "main.tf:7 local.renderd: there is no local value \"renderd\"",
            "variables.tf: variable \"untyped\" is declared but never used",
            "variables.tf: variable \"validated_only\" is declared but never used");
  }

  @Test
  void load_ignoresModuleReferencesInComments() {
    TerraformDirectory root = TerraformDirectory.load(MISWIRED);

    assertThat(root.moduleReferences())
        .extracting(ModuleReference::describe)
        .containsExactly(
            "main.tf:9 module.child.address",
            "main.tf:15 module.child.adress",
            "main.tf:15 module.other.x");
  }
}
