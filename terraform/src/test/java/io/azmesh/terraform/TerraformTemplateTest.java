package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerraformTemplateTest {

  @Test
  void render_replacesVariables() {
    TerraformTemplate template = TerraformTemplate.of("t", "port: ${port}\nhost: ${ host }\n");

    assertThat(template.render(Map.of("port", "18000", "host", "10.0.0.4")))
        .isEqualTo("port: 18000\nhost: 10.0.0.4\n");
    assertThat(template.variables()).containsExactly("port", "host");
  }

  @Test
  void render_keepsEscapedSequencesLiteral() {
    TerraformTemplate template = TerraformTemplate.of("t", "echo $${HOME} %%{x} ${a}");

    assertThat(template.render(Map.of("a", "1"))).isEqualTo("echo ${HOME} %{x} 1");
    assertThat(template.variables()).containsExactly("a");
  }

  @Test
  void render_ifNotEmptyKeepsBodyOnlyWhenValueIsSet() {
    TerraformTemplate template =
        TerraformTemplate.of("t", "a\n%{ if extra != \"\" }\nextra: ${extra}\n%{ endif }\nb\n");

    assertThat(template.render(Map.of("extra", "x"))).isEqualTo("a\n\nextra: x\n\nb\n");
    assertThat(template.render(Map.of("extra", ""))).isEqualTo("a\n\nb\n");
    assertThat(template.variables()).containsExactly("extra");
  }

  @Test
  void render_missingValueIsNamed() {
    TerraformTemplate template = TerraformTemplate.of("cloud-init.yaml.tftpl", "${node_id}");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> template.render(Map.of()))
        .withMessage("cloud-init.yaml.tftpl reads ${node_id} but no value was supplied for it");
  }

  @Test
  void of_rejectsExpressions() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TerraformTemplate.of("t", "a\n${upper(name)}"))
        .withMessage(
            "t: line 2 interpolates 'upper(name)'; only plain variable names are supported,"
                + " compute the value in Terraform");
  }

  @Test
  void of_rejectsForDirectives() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TerraformTemplate.of("t", "%{ for x in xs }${x}%{ endfor }"))
        .withMessage(
            "t: line 1 has the directive '%{ for x in xs }'; only '%{ if name != \"\" }' and"
                + " '%{ endif }' without strip markers are supported");
  }

  @Test
  void of_rejectsStripMarkers() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TerraformTemplate.of("t", "%{ if a != \"\" ~}x%{ endif }"))
        .withMessage(
            "t: line 1 has the directive '%{ if a != \"\" ~}'; only '%{ if name != \"\" }' and"
                + " '%{ endif }' without strip markers are supported");
  }

  @Test
  void of_rejectsUnclosedIf() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TerraformTemplate.of("t", "%{ if a != \"\" }x"))
        .withMessage("t: %{ if } without %{ endif }");
  }

  @Test
  void of_rejectsUnclosedInterpolation() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TerraformTemplate.of("t", "x\ny ${name"))
        .withMessage("t: line 2 opens '${' and never closes it");
  }
}
