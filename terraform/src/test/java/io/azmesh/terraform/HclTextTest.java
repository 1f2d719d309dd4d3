package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HclTextTest {

  @Test
  void stripComments_removesLineComments() {
    assertThat(HclText.stripComments("a = 1 # module.x.y\nb = 2 // module.z.w\n"))
        .isEqualTo("a = 1 \nb = 2 \n");
  }

  @Test
  void stripComments_removesBlockCommentsAndKeepsTheirLineBreaks() {
    assertThat(HclText.stripComments("a /* one\ntwo */ = 1\n")).isEqualTo("a \n = 1\n");
  }

  @Test
  void stripComments_keepsCommentMarkersInsideStrings() {
    String source = "url = \"https://example.com/#top\" # gone\n";

    assertThat(HclText.stripComments(source)).isEqualTo("url = \"https://example.com/#top\" \n");
  }

  @Test
  void stripComments_keepsEscapedQuotesInsideStrings() {
    String source = "msg = \"say \\\"#hi\\\" // twice\" // gone\n";

    assertThat(HclText.stripComments(source)).isEqualTo("msg = \"say \\\"#hi\\\" // twice\" \n");
  }

  @Test
  void withoutBlocks_blanksTheBlocksOfOneKindAndKeepsTheRest() {
    String code =
        "variable \"a\" {\n  validation {\n    condition = var.a != \"}\"\n  }\n}\n"
            + "output \"b\" {\n  value = var.a\n}\n";

    assertThat(HclText.withoutBlocks(code, "variable"))
        .isEqualTo("\n\n\n\n\noutput \"b\" {\n  value = var.a\n}\n");
  }
}
