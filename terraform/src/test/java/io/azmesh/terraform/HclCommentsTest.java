package io.azmesh.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HclCommentsTest {

  @Test
  void strip_removesLineComments() {
    assertThat(HclComments.strip("a = 1 # module.x.y\nb = 2 // module.z.w\n"))
        .isEqualTo("a = 1 \nb = 2 \n");
  }

  @Test
  void strip_removesBlockCommentsAndKeepsTheirLineBreaks() {
    assertThat(HclComments.strip("a /* one\ntwo */ = 1\n")).isEqualTo("a \n = 1\n");
  }

  @Test
  void strip_keepsCommentMarkersInsideStrings() {
    String source = "url = \"https://example.com/#top\" # gone\n";

    assertThat(HclComments.strip(source)).isEqualTo("url = \"https://example.com/#top\" \n");
  }

  @Test
  void strip_keepsEscapedQuotesInsideStrings() {
    String source = "msg = \"say \\\"#hi\\\" // twice\" // gone\n";

    assertThat(HclComments.strip(source)).isEqualTo("msg = \"say \\\"#hi\\\" // twice\" \n");
  }
}
