package io.azmesh.terraform;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Terraform's template language that azmesh's cloud-init templates use, so tests
 * can render them without a terraform binary: {@code ${name}} interpolation, the {@code $${} and
 * {@code %%{} escapes, and {@code %{ if name != "" }} ... {@code %{ endif }} without strip markers.
 * Anything else is rejected by name instead of being rendered wrongly.
 */
final class TerraformTemplate {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern IF_NOT_EMPTY =
      Pattern.compile("if\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*!=\\s*\"\"");

  private final String name;
  private final String text;
  private final Set<String> variables;

  private TerraformTemplate(String name, String text) {
    this.name = Objects.requireNonNull(name, "name");
    this.text = Objects.requireNonNull(text, "text");
    Set<String> used = new LinkedHashSet<>();
    walk(Map.of(), Mode.COLLECT, used);
    this.variables = Collections.unmodifiableSet(used);
  }

  /** A template, checked for syntax this renderer supports; {@code name} is for messages. */
  static TerraformTemplate of(String name, String text) {
    return new TerraformTemplate(name, text);
  }

  /** Every variable the template reads, in order of first use. */
  Set<String> variables() {
    return variables;
  }

  /** The template with every variable replaced; each one it reads must be supplied. */
  String render(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    return walk(values, Mode.RENDER, new LinkedHashSet<>());
  }

  private enum Mode {
    COLLECT,
    RENDER
  }

  private String walk(Map<String, String> values, Mode mode, Set<String> used) {
    StringBuilder out = new StringBuilder();
    // Output is suppressed inside a false "if"; nesting is not needed by our templates.
    boolean emitting = true;
    boolean inIf = false;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
        if (emitting) {
          out.append(text, i + 1, i + 3);
        }
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = closingBrace(i);
        String expression = text.substring(i + 2, end).strip();
        requireIdentifier(expression, i);
        used.add(expression);
        if (emitting && mode == Mode.RENDER) {
          out.append(value(values, expression));
        }
        i = end + 1;
      } else if (text.startsWith("%{", i)) {
        int end = closingBrace(i);
        String directive = text.substring(i + 2, end);
        if (directive.startsWith("~") || directive.endsWith("~")) {
          throw unsupported(directive, i);
        }
        String body = directive.strip();
        Matcher ifNotEmpty = IF_NOT_EMPTY.matcher(body);
        if (ifNotEmpty.matches() && !inIf) {
          String variable = ifNotEmpty.group(1);
          used.add(variable);
          inIf = true;
          emitting = mode == Mode.COLLECT || !value(values, variable).isEmpty();
        } else if (body.equals("endif") && inIf) {
          inIf = false;
          emitting = true;
        } else {
          throw unsupported(directive, i);
        }
        i = end + 1;
      } else {
        if (emitting) {
          out.append(text.charAt(i));
        }
        i++;
      }
    }
    if (inIf) {
      throw new IllegalArgumentException(name + ": %{ if } without %{ endif }");
    }
    return out.toString();
  }

  private int closingBrace(int start) {
    int end = text.indexOf('}', start);
    if (end < 0) {
      throw new IllegalArgumentException(
          name
              + ": line "
              + line(start)
              + " opens '"
              + text.substring(start, start + 2)
              + "' and never closes it");
    }
    return end;
  }

  private void requireIdentifier(String expression, int at) {
    if (!IDENTIFIER.matcher(expression).matches()) {
      throw new IllegalArgumentException(
          name
              + ": line "
              + line(at)
              + " interpolates '"
              + expression
              + "'; only plain variable names are supported, compute the value in Terraform");
    }
  }

  private String value(Map<String, String> values, String variable) {
    String value = values.get(variable);
    if (value == null) {
      throw new IllegalArgumentException(
          name + " reads ${" + variable + "} but no value was supplied for it");
    }
    return value;
  }

  private IllegalArgumentException unsupported(String directive, int at) {
    return new IllegalArgumentException(
        name
            + ": line "
            + line(at)
            + " has the directive '%{"
            + directive
            + "}'; only '%{ if name != \"\" }' and '%{ endif }' without strip markers are supported");
  }

  private int line(int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
