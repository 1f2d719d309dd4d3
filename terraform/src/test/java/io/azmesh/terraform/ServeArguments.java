package io.azmesh.terraform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code meshctl serve} arguments control-plane/main.tf composes in {@code locals.serve_args},
 * read from the source: every string literal of the {@code join(" ", concat(...))} in order, its
 * interpolations replaced with sample values. Tests then see what the module really passes, not a
 * hand-written copy that could drift from it.
 */
final class ServeArguments {

  private static final String START = "serve_args = join(\" \", concat(";
  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([^}]*)}");

  private ServeArguments() {}

  /**
   * The arguments as one command-line fragment, with {@code values} for each interpolated
   * expression ({@code var.xds_port}, {@code t}, ...); an expression without a value fails.
   */
  static String of(Map<String, String> values) {
    String code =
        HclText.stripComments(
            TerraformDirectory.read(TerraformTree.module("control-plane").resolve("main.tf")));
    int start = code.indexOf(START);
    if (start < 0) {
      throw new IllegalStateException("control-plane/main.tf has no '" + START + "'");
    }
    String expression =
        code.substring(
            start + START.length(), HclText.closing(code, code.indexOf('(', start), '(', ')'));
    List<String> arguments = new ArrayList<>();
    Matcher literal = STRING.matcher(expression);
    while (literal.find()) {
      String text = literal.group(1);
      if (text.equals(" ")) {
        continue;
      }
      arguments.add(interpolate(text, values));
    }
    return String.join(" ", arguments);
  }

  private static String interpolate(String text, Map<String, String> values) {
    Matcher m = INTERPOLATION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1).strip());
      if (value == null) {
        throw new IllegalArgumentException(
            "serve_args interpolates ${" + m.group(1) + "} but no sample value was given for it");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
